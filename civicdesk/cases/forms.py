"""Staff forms of the cases app. The checks themselves live in civicdesk.cases.intake and the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicdesk.cases.models import ClaimCategory, Severity, Stage, TransferringAgency, WarningKind
from civicdesk.organization.models import Unit

SEARCH_KINDS = [
    ("case_number", _("Case number")),
    ("obligor_id", _("Obligor ID or business number")),
    ("agency_reference", _("Agency reference")),
]
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class CaseSearchForm(forms.Form):
    kind = forms.ChoiceField(label=_("Search by"), choices=SEARCH_KINDS, initial="case_number")
    q = forms.CharField(label=_("Search for"), max_length=60)


class IntakeUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Intake file"),
        help_text=_("CSV or JSON Lines in the intake format; bad rows are reported and kept for download."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".jsonl", ".ndjson")):
            raise forms.ValidationError(_("Upload a .csv or .jsonl file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large for the upload page; use the import command."))
        return upload


class CounterIntakeForm(forms.Form):
    """One case typed at the single-window counter; the intake service checks it like a file row."""

    agency = forms.ModelChoiceField(
        label=_("Transferring agency"), queryset=TransferringAgency.objects.filter(is_active=True), to_field_name="code"
    )
    agency_reference = forms.CharField(label=_("Agency reference"), max_length=60)
    category = forms.ModelChoiceField(
        label=_("Claim category"), queryset=ClaimCategory.objects.all(), to_field_name="code"
    )
    obligor_id = forms.CharField(
        label=_("Obligor ID or business number"),
        max_length=10,
        help_text=_("National ID, resident certificate number or 8-digit unified business number."),
    )
    obligor_name = forms.CharField(label=_("Obligor name"), max_length=100)
    principal = forms.IntegerField(label=_("Principal (NT$)"), min_value=1)
    fee = forms.IntegerField(label=_("Fee (NT$)"), min_value=0, initial=0, required=False)
    transferred_on = forms.CharField(
        label=_("Transferred on"), max_length=12, help_text=_("For example 115/03/05 or 2026-03-05.")
    )

    def row(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "agency": data["agency"].code,
            "agency_reference": data["agency_reference"],
            "category": data["category"].code,
            "obligor_id": data["obligor_id"].strip(),
            "obligor_name": data["obligor_name"],
            "principal": str(data["principal"]),
            "fee": str(data.get("fee") or 0),
            "transferred_on": data["transferred_on"],
        }


class ReassignForm(forms.Form):
    subdivision = forms.ModelChoiceField(label=_("New subdivision"), queryset=Unit.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, branch_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["subdivision"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(branch_id=branch_id, kind=Unit.Kind.SUBDIVISION, is_active=True)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=[(s.value, s.label) for s in Stage if s != Stage.RECEIVED])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class WarningActionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), choices=[("acknowledge", _("Acknowledge")), ("resolve", _("Resolve"))]
    )
    note = forms.CharField(label=_("Note"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class WarningFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("open", _("Open or acknowledged")),
            ("acknowledged", _("Acknowledged")),
            ("resolved", _("Resolved")),
            ("", _("All")),
        ],
    )
    severity = forms.ChoiceField(label=_("Severity"), required=False, choices=[("", _("Any")), *Severity.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any")), *WarningKind.choices])
    unit = forms.ModelChoiceField(label=_("Subdivision"), required=False, queryset=Unit.objects.none())
    age = forms.IntegerField(label=_("Open at least (days)"), required=False, min_value=0)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
