"""Forms of the plan's staff pages."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.core.roc_dates import format_roc, parse_roc
from civicdesk.organization.models import Staff, Unit
from civicdesk.plan.models import ActivityKind, Measure, Plan, Proposal
from civicdesk.plan.services.activities import MAX_EVIDENCE_BYTES


class RocDateField(forms.CharField):
    """A date typed the way staff write it (104/03/05); Gregorian ISO dates are accepted too."""

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_roc(text)
        except ValueError:
            pass
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise forms.ValidationError(_("Enter a date such as 104/03/05.")) from None

    def prepare_value(self, value: Any) -> Any:
        if hasattr(value, "year") and value.year > 1911:
            return format_roc(value)
        return value


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ActivityForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("Kind of activity"), queryset=ActivityKind.objects.filter(is_active=True))
    held_on = RocDateField(label=_("Date"), help_text=_("ROC date, e.g. 104/03/05"))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    people = forms.IntegerField(label=_("People taking part"), min_value=0, initial=0)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, initial=1, help_text=_("For planting: the number of plants; otherwise 1.")
    )
    measures = forms.ModelMultipleChoiceField(
        label=_("Measures of the plan"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = MultipleFileField(
        label=_("Evidence (photos or PDF)"),
        required=False,
        help_text=_("JPEG, PNG or PDF, at most %(mb)d MB each.") % {"mb": MAX_EVIDENCE_BYTES // (1024 * 1024)},
    )

    def __init__(self, *args: Any, staff: Staff, plan: Plan | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(branch=staff.branch, is_active=True)  # type: ignore[attr-defined]
        self.fields["unit"].initial = staff.unit_id
        self.fields["held_on"].initial = timezone.localdate()
        if plan is not None:
            self.fields["measures"].queryset = plan.measures.order_by("ordering")  # type: ignore[attr-defined]
            self.fields["measures"].label_from_instance = lambda m: f"{m.code} {m.strategy[:40]}…"  # type: ignore[attr-defined]


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Proposal.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))


class ProposalStepForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class MeasureForm(forms.Form):
    strategy_zh = forms.CharField(label=_("Strategy and method (Chinese)"), widget=forms.Textarea(attrs={"rows": 4}))
    strategy_en = forms.CharField(label=_("Strategy and method (English)"), widget=forms.Textarea(attrs={"rows": 4}))
    benefit_zh = forms.CharField(
        label=_("Expected benefit (Chinese)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    benefit_en = forms.CharField(
        label=_("Expected benefit (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    unit_codes = forms.CharField(
        label=_("Responsible units"),
        help_text=_("Unit codes separated by commas, e.g. SEC, ETH; ALL for every unit, DIVISIONS for every division."),
    )

    def __init__(self, *args: Any, measure: Measure, targets: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "strategy_zh": measure.strategy_zh,
                "strategy_en": measure.strategy_en,
                "benefit_zh": measure.benefit_zh,
                "benefit_en": measure.benefit_en,
                "unit_codes": ", ".join(measure.unit_codes),
            },
        )
        super().__init__(*args, **kwargs)
        for target in targets:
            if target.comparison == "every_working_day":
                continue
            self.fields[f"threshold_{target.pk}"] = forms.DecimalField(
                label=_("Threshold: %(target)s") % {"target": target.description},
                min_value=0,
                max_digits=12,
                decimal_places=2,
                initial=target.threshold.normalize(),
            )
