from django import forms
from django.utils.translation import gettext_lazy as _


class ClientSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, label (e.g. CP-000123) or SSN"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    dob = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the date of birth as YYYY-MM-DD.")},
    )
