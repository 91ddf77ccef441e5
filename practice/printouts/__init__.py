"""Printouts as use cases: one function per document, from ids to bytes, each audited once.

Each function takes the `Database` and the ids of what it prints (plus the document's few
options), gathers the records, renders them with `practice.documents` and returns a
`Printout`: the bytes with what they are. It writes exactly one audit entry, "print", or
"export" naming the file when `to_file` is given (the function then writes the file, under a
temporary name first). The screens and fascia-cli make documents through these and nothing
else, so what is printed and what the audit log says never depend on where it was asked.

ReportLab is imported when a document is first made, not when this package is.
"""

from practice.printouts.billing import invoice_pdf, receipt_pdf, superbill_pdf
from practice.printouts.charts import chart_comparison_pdf, chart_history_pdf, pain_chart_pdf
from practice.printouts.clinical import intake_summary_pdf, visit_note_pdf
from practice.printouts.files import check_target, write_file
from practice.printouts.output import EXPORT, PRINT, Document, Printout, export_copy
from practice.printouts.reports import BillingReport, billing_report_csv
from practice.printouts.request import client_records
from practice.printouts.schedule import call_list_pdf
from practice.printouts.security import recovery_sheet_pdf
from practice.printouts.summary import (
    issue_summary,
    issued_document_pdf,
    physician_summary_pdf,
    render_summary,
)

__all__ = [
    "EXPORT",
    "PRINT",
    "BillingReport",
    "Document",
    "Printout",
    "billing_report_csv",
    "call_list_pdf",
    "chart_comparison_pdf",
    "chart_history_pdf",
    "check_target",
    "client_records",
    "export_copy",
    "intake_summary_pdf",
    "invoice_pdf",
    "issue_summary",
    "issued_document_pdf",
    "pain_chart_pdf",
    "physician_summary_pdf",
    "receipt_pdf",
    "recovery_sheet_pdf",
    "render_summary",
    "superbill_pdf",
    "visit_note_pdf",
    "write_file",
]
