"""Where a Today card's line opens: the client's record, on the tab that holds the record."""

from __future__ import annotations

from practice.today.figures import CardItem, CardKind
from ui.clients.page import ClientsPage


def open_record(clients: ClientsPage, kind: CardKind, item: CardItem) -> None:
    """Open the line's client and show its visit note, plan, billing, intake or consent."""
    clients.open_client(item.client_id)
    if clients.open_client_id() != item.client_id:
        return  # the therapist kept an unsaved change elsewhere
    workspace = clients.workspace
    if kind in (CardKind.UNSIGNED, CardKind.UNBILLED) and item.record_id is not None:
        workspace.open_visit(item.record_id)
    elif kind is CardKind.BALANCES:
        workspace.tabs.setCurrentWidget(workspace.billing)
    elif kind is CardKind.REEVALUATIONS:
        workspace.tabs.setCurrentWidget(workspace.plan)
        workspace.plan.refresh(select=item.record_id)
    elif kind is CardKind.PAPERWORK:
        missing_intake = "intake" in item.detail
        workspace.tabs.setCurrentWidget(workspace.intake if missing_intake else workspace.consent)
