"""Reminders domain logic over the models: no Discord types, no Discord markup. Functions return
dataclasses and raise the errors of ``reminders/errors.py``.

- ``parsing``: ``when`` and ``every`` phrases, recurrence stepping (pure, run in the parser thread)
- ``requests``: what /remind, /timer and /reminders edit ask for, read and stored
- ``personal``: personal reminders: limits, list, edit, pause, resume, delete, snooze
- ``delivery``: one job per occurrence, and recording each occurrence exactly once
- ``watches``: reaction watches, reactions and their reconciliation, watch rounds and the log
- ``importer``: seed 002's legacy JSON
- ``privacy``: /privacy export and delete
"""
