"""The quarterly Service Quality Improvement Performance Report (C.2) as PDF, DOCX and XLSX.

`report_build` gathers the figures once; each writer lays the same figures out in its format, so the
three files always agree.
"""

from civicdesk.plan.reports.data import QuarterlyReport, report_build
from civicdesk.plan.reports.writers import FORMATS, ReportFontError, report_render

__all__ = ["FORMATS", "QuarterlyReport", "ReportFontError", "report_build", "report_render"]
