"""Forms: citizen sign-in, the application form built from the catalogue, correction, staff actions, tracking."""

from __future__ import annotations

import decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from civicdesk.applications.models import Channel, Citizen, Outcome, ServiceKind, Status, Verification
from civicdesk.applications.signin import id_number_error
from civicdesk.core.i18n import bilingual, english_active
from civicdesk.core.identifiers import InvalidIdentifier, normalize_citizen_input, validate_person_id
from civicdesk.organization.models import Staff


class CitizenSignInForm(forms.Form):
    contact_kind = forms.ChoiceField(
        label=_("Send the code by"),
        choices=[(Citizen.ContactKind.EMAIL, _("E-mail")), (Citizen.ContactKind.MOBILE, _("SMS to my mobile phone"))],
        widget=forms.RadioSelect,
        initial=Citizen.ContactKind.EMAIL,
    )
    contact = forms.CharField(
        label=_("E-mail address or mobile number"),
        max_length=254,
        help_text=_("We send a 6-digit code there. It works for 10 minutes."),
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=12,
        help_text=_("National ID or resident certificate number, e.g. A123456789."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Sign-in code"),
        max_length=12,
        help_text=_("The 6 digits we sent you."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _label(spec: dict[str, Any], key: str) -> str:
    return str(bilingual(spec.get(f"{key}_zh", ""), spec.get(f"{key}_en", "")))


def _field_from_spec(spec: dict[str, Any]) -> forms.Field:
    common: dict[str, Any] = {
        "label": _label(spec, "label"),
        "required": bool(spec.get("required")),
        "help_text": _label(spec, "help"),
    }
    kind = spec["type"]
    if kind == "textarea":
        return forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 5}), **common)
    if kind == "integer":
        return forms.IntegerField(min_value=spec.get("min"), max_value=spec.get("max"), **common)
    if kind == "amount":
        return forms.DecimalField(min_value=decimal.Decimal(0), max_digits=14, decimal_places=0, **common)
    if kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == "choice":
        english = english_active()
        choices = [(value, en if english else zh) for value, zh, en in spec["choices"]]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    return forms.CharField(max_length=200, **common)


class ApplicationForm(forms.Form):
    """One form per service, built from the catalogue's ``form_fields``; the same for online and counter."""

    applicant_name = forms.CharField(
        label=_("Full name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=12,
        help_text=_("National ID or resident certificate number, e.g. A123456789."),
    )
    email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    mobile = forms.CharField(
        label=_("Mobile phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"autocomplete": "tel"})
    )
    verification = forms.ChoiceField(
        label=_("How should we check your documents?"),
        choices=[
            (Verification.ELECTRONIC, _("Check my records electronically (electronic transcript, no copies needed)")),
            (Verification.PAPER, _("I attach copies or hand in paper documents")),
            (Verification.NOT_NEEDED, _("No documents are needed for this request")),
        ],
        widget=forms.RadioSelect,
        initial=Verification.ELECTRONIC,
    )
    documents = MultipleFileField(
        label=_("Documents"),
        required=False,
        help_text=_("PDF, JPEG or PNG, up to 10 MB each, at most 5 files."),
    )

    def __init__(self, *args: Any, kind: ServiceKind, citizen: Citizen | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.extra_names: list[str] = []
        for spec in kind.form_fields:
            name = f"detail_{spec['name']}"
            self.fields[name] = _field_from_spec(spec)
            self.extra_names.append(name)
        # Put the service's own questions after the applicant's details, before the documents.
        order = ["applicant_name", "id_number", "email", "mobile", *self.extra_names, "verification", "documents"]
        self.order_fields(order)
        if citizen is not None:
            self.fields["id_number"].disabled = True
            self.fields["id_number"].initial = citizen.id_number
            self.fields["id_number"].help_text = _("The ID number you declared when you signed in.")
            if citizen.name:
                self.fields["applicant_name"].initial = citizen.name
            if citizen.contact_kind == Citizen.ContactKind.EMAIL:
                self.fields["email"].initial = citizen.contact
            elif citizen.contact_kind == Citizen.ContactKind.MOBILE:
                self.fields["mobile"].initial = citizen.contact

    def clean_id_number(self) -> str:
        value = normalize_citizen_input(self.cleaned_data["id_number"])
        try:
            return validate_person_id(value)
        except InvalidIdentifier as error:
            raise forms.ValidationError(id_number_error(error)) from error

    def clean_mobile(self) -> str:
        value = normalize_citizen_input(self.cleaned_data.get("mobile", "")).replace("-", "")
        if value and not (len(value) == 10 and value.startswith("09") and value.isdigit()):
            raise forms.ValidationError(_("Enter a mobile number of 10 digits starting with 09."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("email") and not cleaned.get("mobile") and not self.errors.get("mobile"):
            self.add_error("email", _("Give an e-mail address or a mobile number so we can send the receipt."))
        return cleaned

    def details(self) -> dict[str, Any]:
        values = {}
        for name in self.extra_names:
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            values[name.removeprefix("detail_")] = str(value) if not isinstance(value, int | str) else value
        return values


class CorrectionForm(forms.Form):
    note = forms.CharField(
        label=_("Message"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    documents = MultipleFileField(
        label=_("Documents"), required=False, help_text=_("PDF, JPEG or PNG, up to 10 MB each, at most 5 files.")
    )


class TrackForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference number or case number"),
        max_length=80,
        help_text=_("As printed on your receipt, e.g. FQ-7KQM-4XRT-W. Upper or lower case, with or without hyphens."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    id_last4 = forms.CharField(
        label=_("Last 4 digits of your ID number"),
        min_length=4,
        max_length=4,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Handling officer"), queryset=Staff.objects.none())
    staff_note = forms.CharField(label=_("Internal note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, branch_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Staff.objects.filter(branch_id=branch_id, is_active=True).order_by("username")


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("New status"),
        choices=[(Status.IN_PROGRESS, Status.IN_PROGRESS.label), (Status.WITHDRAWN, Status.WITHDRAWN.label)],
    )
    citizen_note = forms.CharField(
        label=_("Note for the citizen (shown on the public timeline)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    staff_note = forms.CharField(label=_("Internal note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CorrectionRequestForm(forms.Form):
    citizen_note = forms.CharField(
        label=_("What the citizen must provide"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    staff_note = forms.CharField(label=_("Internal note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    citizen_note = forms.CharField(
        label=_("Reply to the citizen"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    staff_note = forms.CharField(label=_("Internal note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ServiceKindForm(forms.ModelForm):
    """The SOP fields staff edit in the back office (the reference prefix and form fields stay in the data file)."""

    channels = forms.MultipleChoiceField(
        label=_("channels"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ServiceKind
        fields = [
            "is_published",
            "time_limit_working_days",
            "clock_on_correction",
            "handling_unit_code",
            "channels",
            "myegov_service_code",
            "myegov_theme_code",
            "myegov_administration_code",
            "title_zh",
            "title_en",
            "summary_zh",
            "summary_en",
            "eligibility_zh",
            "eligibility_en",
            "documents_zh",
            "documents_en",
            "steps_zh",
            "steps_en",
            "fee_zh",
            "fee_en",
            "contact_zh",
            "contact_en",
        ]
