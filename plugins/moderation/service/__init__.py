"""The moderation domain, split by area: cases, warnings and escalation, temporary punishments,
the role hierarchy and channel tools. Plain async functions over the models, no Discord types."""

from . import cases, channels, escalation, hierarchy, punishments, warnings
from .cases import CaseRequest, CaseView

__all__ = ["CaseRequest", "CaseView", "cases", "channels", "escalation", "hierarchy", "punishments", "warnings"]
