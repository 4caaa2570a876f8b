"""Abstract base models and their QuerySet methods, shared by every app."""

from typing import TypeVar

from django.db import models
from django.utils import timezone

_M = TypeVar("_M", bound="SoftStateModel")

# The states of a soft-state row, written once: every app filters with these.
ACTIVE = models.Q(archived_at__isnull=True, is_deleted=False)
ARCHIVED = models.Q(archived_at__isnull=False, is_deleted=False)
DELETED = models.Q(is_deleted=True)
NOT_DELETED = models.Q(is_deleted=False)
# Archived or deleted: what a restore brings back.
NOT_ACTIVE = models.Q(archived_at__isnull=False) | models.Q(is_deleted=True)
STATES = {"active": ACTIVE, "archived": ARCHIVED, "deleted": DELETED}


class TimestampedModel(models.Model):
    """A row with created/updated times."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class SoftStateQuerySet(models.QuerySet[_M]):
    """Set-based archive/restore/delete for rows with active/archived/deleted states."""

    def active(self) -> "SoftStateQuerySet[_M]":
        return self.filter(ACTIVE)

    def archived(self) -> "SoftStateQuerySet[_M]":
        return self.filter(ARCHIVED)

    def deleted(self) -> "SoftStateQuerySet[_M]":
        return self.filter(DELETED)

    def with_states(self, states: set[str]) -> "SoftStateQuerySet[_M]":
        """Rows in any of `states` (`active`, `archived`, `deleted`)."""
        condition = models.Q(pk__in=[])
        for name, state in STATES.items():
            if name in states:
                condition |= state
        return self.filter(condition)

    def archive(self) -> int:
        """Archive the active rows; archived and deleted ones keep their state."""
        now = timezone.now()
        return self.filter(ACTIVE).update(archived_at=now, updated_at=now)

    def restore(self) -> int:
        """Make archived and deleted rows active again."""
        now = timezone.now()
        return self.filter(NOT_ACTIVE).update(
            archived_at=None, is_deleted=False, updated_at=now
        )

    def soft_delete(self) -> int:
        """Mark rows deleted, re-stamping `archived_at`; deleted rows are left alone."""
        now = timezone.now()
        return self.filter(NOT_DELETED).update(
            is_deleted=True, archived_at=now, updated_at=now
        )


class SoftStateModel(TimestampedModel):
    """A row that is active, archived (`archived_at` set) or deleted (`is_deleted`)."""

    archived_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False)

    class Meta:
        abstract = True
