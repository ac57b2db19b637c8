"""Who may do what to a batch: upload for which department, review, see it.

The actors and their roles are declared in data/imports/batches.py (:class:`Actor`); these are the checks the
import steps, the data page and the API make with them, kept together so the rule for each act is in one place.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from data import catalog
from data.imports.batches import UPLOADER_ROLES, Actor, Batch, BatchError, NotAllowed
from data.registers import REGISTERS
from data.schema import department


def department_name(conn: Connection, code: str | None) -> str | None:
    """A department's name by its code (None for none)."""
    if code is None:
        return None
    return conn.scalar(select(department.c.name).where(department.c.code == code))


def upload_scope(
    conn: Connection, actor: Actor, register: str, department_code: str | None, township_code: str | None
) -> tuple[str | None, str | None]:
    """The department and township a batch of ``actor`` covers; refuses what the actor may not upload."""
    declared = REGISTERS[register]
    if department_code is not None and not declared.has_department:
        raise BatchError(f"{declared.label}不分部门，不能按部门导入")
    if township_code is not None and not declared.has_township:
        raise BatchError(f"{declared.label}不分乡镇（街道），不能按乡镇导入")
    if actor.reviewer:
        return department_code, township_code
    if actor.role not in UPLOADER_ROLES or actor.department is None:
        raise NotAllowed("只有数据录入员、部门负责人和审核人（领导、管理员）可以上传数据")
    if department_code not in (None, actor.department):
        raise NotAllowed("只能上传本部门的数据")
    if declared.has_department:
        return actor.department, township_code
    # A register without a department column (police registers) belongs to the department responsible for it.
    responsible = {i.responsible for i in catalog.load().values() if i.register == register}
    if department_name(conn, actor.department) not in responsible:
        raise NotAllowed(f"{declared.label}由{'、'.join(sorted(responsible))}上传")
    return None, township_code


def require_reviewer(actor: Actor) -> None:
    """Refuse an actor who may not publish, reject or roll back."""
    if not actor.reviewer:
        raise NotAllowed("只有审核人（领导或管理员）可以发布、驳回或回滚数据")


def may_see(actor: Actor, batch: Batch) -> bool:
    """Reviewers see every batch; an uploader their department's and their own."""
    return (
        actor.reviewer
        or batch.created_by == actor.username
        or (actor.department is not None and batch.department_code == actor.department)
    )
