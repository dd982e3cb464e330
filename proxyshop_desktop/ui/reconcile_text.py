"""What a reconcile did, in the operator's words (its strings keep the Sales tab's context)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from proxyshop_desktop.services.results import ReconcileResult


def describe_reconcile(result: ReconcileResult) -> str:
    """What a reconcile did, in one line (the Sales tab shows it)."""
    translate = QCoreApplication.translate
    parts = []
    if result.settled:
        parts.append(
            translate("SalesTab", "pending orders completed from the provider's record: {0}").format(
                result.settled
            )
        )
    if result.voided:
        parts.append(
            translate("SalesTab", "pending orders voided (the provider never charged them): {0}").format(
                result.voided
            )
        )
    if result.recovered:
        parts.append(
            translate("SalesTab", "purchases found at the provider and recorded as recovered: {0}").format(
                result.recovered
            )
        )
    if result.missing_at_provider:
        parts.append(
            translate("SalesTab", "orders the provider does not know: {0}").format(
                ", ".join(result.missing_at_provider)
            )
        )
    if result.refunds_recorded:
        parts.append(
            translate("SalesTab", "refunds found made at the provider and recorded: {0}").format(
                ", ".join(result.refunds_recorded)
            )
        )
    if result.refunds_not_done:
        parts.append(
            translate("SalesTab", "refunds that did not happen (still sold): {0}").format(
                ", ".join(result.refunds_not_done)
            )
        )
    if result.refund_unknown:
        parts.append(
            translate("SalesTab", "refund outcome still unknown: {0}").format(", ".join(result.refund_unknown))
        )
    if not parts:
        return translate("SalesTab", "Reconciled: local orders match the provider's record.")
    return translate("SalesTab", "Reconciled: {0}.").format("; ".join(parts))
