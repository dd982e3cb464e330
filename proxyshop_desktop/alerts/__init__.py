"""Telegram alerts (issue 14): events an operator must act on, sent to a Telegram chat.

Qt-free. Raising an alert is one insert into the `alert_outbox` table (`outbox.raise_alert`, on the
DB thread), so a sale or a sync never waits for Telegram. `delivery.flush` sends what is queued,
in order, once, under a per-data-dir lock; the window runs it on a timer, the headless commands
for a few seconds at their end. `events` holds the few hooks the services call.
"""
