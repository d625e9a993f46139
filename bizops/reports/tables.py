"""The tables the report builders read, as Core tables and their columns (``CU.grade``)."""

from __future__ import annotations

from sqlalchemy import inspect

from bizops.store.models import (
    ApprovalRequest,
    ApprovalStep,
    Contract,
    Customer,
    FollowUp,
    Milestone,
    StageChange,
    User,
)

T_AR = inspect(ApprovalRequest).local_table
AR = T_AR.c
T_AS = inspect(ApprovalStep).local_table
AS = T_AS.c
T_CO = inspect(Contract).local_table
CO = T_CO.c
T_CU = inspect(Customer).local_table
CU = T_CU.c
T_FU = inspect(FollowUp).local_table
FU = T_FU.c
T_MI = inspect(Milestone).local_table
MI = T_MI.c
T_SC = inspect(StageChange).local_table
SC = T_SC.c
T_US = inspect(User).local_table
US = T_US.c
