"""The base of every table model."""

from sqlmodel import SQLModel
from sqlmodel.main import SQLModelConfig


class Table(SQLModel):
    """A table's model. Table models never validate what they are given (SQLModel sets the
    attributes as they are), so their pydantic schema is built only if something asks for it
    (``model_validate`` and the like), not when the class is defined: building it for every
    table a command touched was a good part of each command's start-up."""

    model_config = SQLModelConfig(defer_build=True)
