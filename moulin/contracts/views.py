"""Pages of the money side: counterparties, contracts (their state, signatures, renewal, documents), funding
sources and agreements, receipts, budgets and their lines, the general-ledger import and the funding mix."""

import base64

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _
from django.views import View

from moulin.access.policy import ADD
from moulin.access.querysets import policy_for
from moulin.contracts import forms, ledger, services
from moulin.contracts.mix import funding_mix, reinvestment, svg_bar
from moulin.contracts.models import (
    Budget,
    BudgetLine,
    ClosedYear,
    Contract,
    ContractDocument,
    Counterparty,
    FundingAgreement,
    FundingSource,
    LedgerImport,
    LedgerMapping,
    Receipt,
)
from moulin.core.tables import Column
from moulin.core.validators import validate_document
from moulin.core.views import ScopedActionView, ScopedDetailView, ScopedFormView, ScopedListView, ScopedMixin
from moulin.core.workflow import available_transitions


def _money(value) -> str:
    return "" if value is None else f"{value:,.2f}".replace(",", "\u202f")


# --- counterparties ---------------------------------------------------------------------------------------------


class CounterpartyList(ScopedListView):
    model = Counterparty
    title = _("Counterparties")
    intro = _("Communes, the ministry and the other bodies the organisations make contracts with.")
    search_fields = ["name", "locality", "vat_number", "peppol_id"]
    default_sort = "name"
    export_name = "counterparties"
    create_url_name = "contracts:counterparty_create"
    columns = [
        Column("name", _("Name"), sort="name", link=True),
        Column("kind", _("Kind"), "get_kind_display", sort="kind"),
        Column("locality", _("Locality"), sort="locality"),
        Column("vat_number", _("VAT number")),
        Column("peppol", _("Peppol identifier"), "peppol_endpoint"),
    ]

    def get_breadcrumbs(self):
        return [(_("Counterparties"), "")]


class CounterpartyDetail(ScopedDetailView):
    model = Counterparty
    template_name = "contracts/counterparty_detail.html"

    def get_context(self, party):
        contracts = Contract.objects.visible_to(self.request.user).filter(counterparty=party).with_list_data()
        return {"object": party, "party": party, "contracts": contracts.order_by("-start")[:50]}


class CounterpartyCreate(ScopedFormView):
    model = Counterparty
    form_class = forms.CounterpartyForm
    creating = True


class CounterpartyUpdate(ScopedFormView):
    model = Counterparty
    form_class = forms.CounterpartyForm

    def save(self, form):
        before = services.snapshot(Counterparty.objects.get(pk=form.instance.pk))
        party = form.save()
        services.record_change(party, actor=self.request.user, before=before)
        return party


# --- contracts --------------------------------------------------------------------------------------------------


class ContractList(ScopedListView):
    model = Contract
    title = _("Contracts")
    intro = _("Contracts with the communes, the ministry and other bodies: their period, amount, billing rule and "
              "state. Those ending within 90 days are marked.")  # fmt: skip
    filter_form_class = forms.ContractFilterForm
    search_fields = ["title", "reference", "counterparty__name", "organisation__name"]
    default_sort = "-start"
    export_name = "contracts"
    create_url_name = "contracts:create"
    select_related = ["organisation", "counterparty"]
    columns = [
        Column("title", _("Contract"), sort="title", link=True),
        Column("counterparty", _("Counterparty"), "counterparty.name", sort="counterparty__name"),
        Column("organisation", _("Organisation"), "organisation.display_name", sort="organisation__name"),
        Column("start", _("Start"), sort="start"),
        Column("end", _("End"), sort="end"),
        Column("annual_amount", _("Annual amount (EUR)"), lambda c: _money(c.annual_amount), sort="annual_amount",
               align="text-end"),
        Column("billing_rule", _("Billing"), "get_billing_rule_display", sort="billing_rule"),
        Column("status", _("Status"), "get_status_display", sort="status"),
    ]  # fmt: skip

    def get_breadcrumbs(self):
        return [(_("Contracts"), "")]


class ContractDetail(ScopedDetailView):
    model = Contract
    template_name = "contracts/contract_detail.html"

    def base_queryset(self):
        return super().base_queryset().select_related("organisation", "counterparty__commune", "renewed_from")

    def get_context(self, contract):
        user = self.request.user
        today = timezone.localdate()
        days = contract.days_left(today)
        return {
            "object": contract,
            "contract": contract,
            "projects": contract.projects.all(),
            "documents": contract.documents.all(),
            "receipts": Receipt.objects.visible_to(user).filter(contract=contract).select_related("source")[:20],
            "transitions": available_transitions(user, contract),
            "ending_soon": contract.status == "in_force" and days is not None and 0 <= days <= 90,
            "days_left": days,
            "renewal": getattr(contract, "renewal", None) if hasattr(contract, "renewal") else None,
            "can_add_document": policy_for(ContractDocument).can(user.scope, ADD, contract),
        }


class ContractCreate(ScopedFormView):
    model = Contract
    form_class = forms.ContractForm
    creating = True

    def save(self, form):
        return services.save_contract(form, actor=self.request.user)


class ContractUpdate(ScopedFormView):
    model = Contract
    form_class = forms.ContractForm

    def save(self, form):
        return services.save_contract(form, actor=self.request.user)


class ContractTransition(ScopedFormView):
    """Send a contract for signature, bring it into force (a public body's needs both signatures), terminate it."""

    model = Contract
    form_class = forms.ContractTransitionForm
    crumb_label = _("Status")

    def get_title(self):
        return gettext("Status of “%(contract)s”") % {"contract": self.object}

    def save(self, form):
        return services.transition_contract(self.object, form.cleaned_data["transition"], actor=self.request.user,
                                            **form.transition_fields())  # fmt: skip


class ContractRenew(ScopedActionView):
    model = Contract
    form_class = forms.ContractRenewForm
    title = _("Renew the contract")

    def perform(self, form):
        self.renewal = services.renew_contract(self.object, actor=self.request.user, start=form.cleaned_data["start"],
                                               end=form.cleaned_data["end"])  # fmt: skip
        return gettext("The renewal is drafted: have it signed.")

    def get_success_url(self):
        return self.renewal.get_absolute_url()


class ContractDocumentCreate(ScopedFormView):
    model = ContractDocument
    creating = True
    parent_model = Contract
    parent_lookup = "pk"
    parent_url_kwarg = "pk"

    class form_class(forms.ModelForm):  # noqa: N801
        class Meta:
            model = ContractDocument
            fields = ["title", "file"]

        def clean_file(self):
            upload = self.cleaned_data["file"]
            validate_document(upload)
            return upload

    def save(self, form):
        document = form.save(commit=False)
        document.uploaded_by = self.request.user
        document.save()
        services.record_change(document.contract, actor=self.request.user, before=None,
                               action="update", document=document.title)  # fmt: skip
        return document


class ContractDocumentDownload(ScopedDetailView):
    model = ContractDocument

    def get(self, request, *args, **kwargs):
        document = self.get_object()
        if not document.file:
            raise Http404
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(handle, as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1])


# --- funding ----------------------------------------------------------------------------------------------------


class FundingSourceList(ScopedListView):
    model = FundingSource
    title = _("Funding sources")
    intro = _("Where the network's money comes from, by kind: the state, the communes, EU funds, fees, private "
              "contracts, donations and volunteer time in kind.")  # fmt: skip
    search_fields = ["name"]
    default_sort = "kind"
    export_name = "funding-sources"
    create_url_name = "contracts:funding_source_create"
    select_related = ["counterparty"]
    columns = [
        Column("name", _("Name"), sort="name"),
        Column("kind", _("Kind"), "get_kind_display", sort="kind"),
        Column("counterparty", _("Funder"), lambda s: s.counterparty.name if s.counterparty else ""),
    ]

    def get_breadcrumbs(self):
        return [(_("Funding sources"), "")]


class FundingSourceCreate(ScopedFormView):
    model = FundingSource
    form_class = forms.FundingSourceForm
    creating = True

    def get_success_url(self):
        return reverse("contracts:funding_source_list")


class FundingList(ScopedListView):
    model = FundingAgreement
    title = _("Funding agreements")
    intro = _("Funding awarded to the organisations: amount, co-financing rate, eligible costs and reporting dates.")
    filter_form_class = forms.FundingFilterForm
    search_fields = ["title", "reference", "organisation__name", "source__name"]
    default_sort = "-start"
    export_name = "funding-agreements"
    create_url_name = "contracts:funding_create"
    select_related = ["organisation", "source"]
    columns = [
        Column("title", _("Funding"), sort="title", link=True),
        Column("source", _("Source"), "source.name", sort="source__name"),
        Column("organisation", _("Organisation"), "organisation.display_name", sort="organisation__name"),
        Column("start", _("Start"), sort="start"),
        Column("end", _("End"), sort="end"),
        Column("amount_awarded", _("Awarded (EUR)"), lambda f: _money(f.amount_awarded), sort="amount_awarded",
               align="text-end"),
        Column("status", _("Status"), "get_status_display", sort="status"),
    ]  # fmt: skip

    def get_breadcrumbs(self):
        return [(_("Funding agreements"), "")]


class FundingDetail(ScopedDetailView):
    model = FundingAgreement
    template_name = "contracts/funding_detail.html"

    def base_queryset(self):
        return super().base_queryset().select_related("organisation", "source")

    def get_context(self, agreement):
        user = self.request.user
        return {
            "object": agreement,
            "agreement": agreement,
            "projects": agreement.projects.all(),
            "reporting": agreement.reporting_dates.all(),
            "receipts": Receipt.objects.visible_to(user).filter(agreement=agreement).valid()[:30],
            "received": agreement.received(),
            "transitions": available_transitions(user, agreement),
        }


class FundingCreate(ScopedFormView):
    model = FundingAgreement
    form_class = forms.FundingAgreementForm
    creating = True

    def save(self, form):
        return services.save_funding_agreement(form, actor=self.request.user)


class FundingUpdate(ScopedFormView):
    model = FundingAgreement
    form_class = forms.FundingAgreementForm

    def save(self, form):
        return services.save_funding_agreement(form, actor=self.request.user)


class FundingTransition(ScopedFormView):
    model = FundingAgreement
    form_class = forms.FundingTransitionForm
    crumb_label = _("Status")

    def save(self, form):
        return services.transition_funding_agreement(self.object, form.cleaned_data["transition"],
                                                     actor=self.request.user, **form.transition_fields())  # fmt: skip


class ReceiptList(ScopedListView):
    model = Receipt
    title = _("Receipts")
    intro = _("Money received, by source. A receipt entered by mistake is cancelled, never deleted.")
    filter_form_class = forms.ReceiptFilterForm
    search_fields = ["reference", "organisation__name", "source__name"]
    default_sort = "-received_on"
    export_name = "receipts"
    create_url_name = "contracts:receipt_create"
    select_related = ["organisation", "source"]
    columns = [
        Column("received_on", _("Received on"), sort="received_on", link=True),
        Column("organisation", _("Organisation"), "organisation.display_name", sort="organisation__name"),
        Column("source", _("Source"), "source.name", sort="source__name"),
        Column("reference", _("Reference")),
        Column("amount", _("Amount (EUR)"), lambda r: _money(r.amount), sort="amount", align="text-end"),
        Column("cancelled", _("Cancelled"), lambda r: r.cancel_reason if r.cancelled_on else ""),
    ]

    def get_breadcrumbs(self):
        return [(_("Receipts"), "")]


class ReceiptDetail(ScopedDetailView):
    model = Receipt
    template_name = "contracts/receipt_detail.html"

    def base_queryset(self):
        return super().base_queryset().select_related("organisation", "source", "agreement", "contract", "project",
                                                      "commune").defer("commune__boundary")  # fmt: skip

    def get_context(self, receipt):
        return {"object": receipt, "receipt": receipt}


class ReceiptCreate(ScopedFormView):
    model = Receipt
    form_class = forms.ReceiptForm
    creating = True

    def save(self, form):
        return services.save_receipt(form, actor=self.request.user)


class ReceiptCancel(ScopedActionView):
    model = Receipt
    form_class = forms.ReceiptCancelForm
    title = _("Cancel the receipt")

    def perform(self, form):
        services.cancel_receipt(self.object, actor=self.request.user, reason=form.cleaned_data["reason"])
        return gettext("The receipt is cancelled; it stays in the records.")


# --- budgets ----------------------------------------------------------------------------------------------------


class BudgetList(ScopedListView):
    model = Budget
    title = _("Budgets")
    intro = _("Each organisation's budgets per year, general or per project, by category, with the actuals "
              "imported from the general ledger.")  # fmt: skip
    filter_form_class = forms.BudgetFilterForm
    search_fields = ["organisation__name", "project__name"]
    default_sort = "-year"
    export_name = "budgets"
    create_url_name = "contracts:budget_create"
    template_name = "contracts/budget_list.html"
    select_related = ["organisation", "project"]
    columns = [
        Column("year", _("Year"), sort="year", link=True),
        Column("organisation", _("Organisation"), "organisation.display_name", sort="organisation__name"),
        Column("project", _("Project"), lambda b: b.project.name if b.project_id else gettext("General budget"),
               sort="project__name"),
    ]  # fmt: skip

    def extra_context(self):
        return {"can_import": policy_for(LedgerImport).can(self.scope, ADD, LedgerImport)}

    def get_breadcrumbs(self):
        return [(_("Budgets"), "")]


class BudgetDetail(ScopedDetailView):
    model = Budget
    template_name = "contracts/budget_detail.html"

    def base_queryset(self):
        return super().base_queryset().select_related("organisation", "project")

    def get_context(self, budget):
        lines = list(BudgetLine.objects.visible_to(self.request.user).filter(budget=budget).with_actuals())
        return {
            "object": budget,
            "budget": budget,
            "lines": lines,
            "totals": services.budget_totals(lines),
            "closed": budget.is_closed,
            "can_add_line": policy_for(BudgetLine).can(self.request.user.scope, ADD, budget) and not budget.is_closed,
        }


class BudgetCreate(ScopedFormView):
    model = Budget
    form_class = forms.BudgetForm
    creating = True

    def save(self, form):
        return services.save_budget(form, actor=self.request.user)


class BudgetUpdate(ScopedFormView):
    model = Budget
    form_class = forms.BudgetForm

    def save(self, form):
        return services.save_budget(form, actor=self.request.user)


class BudgetLineCreate(ScopedFormView):
    model = BudgetLine
    form_class = forms.BudgetLineForm
    creating = True
    parent_model = Budget
    parent_lookup = "pk"
    parent_url_kwarg = "pk"

    def save(self, form):
        return services.save_budget_line(form, actor=self.request.user)


class BudgetLineUpdate(ScopedFormView):
    model = BudgetLine
    form_class = forms.BudgetLineForm

    def save(self, form):
        return services.save_budget_line(form, actor=self.request.user)


class CloseYear(ScopedFormView):
    """Close an organisation's year: its budget lines and actuals no longer change."""

    model = ClosedYear
    creating = True
    parent_model = None
    title = _("Close a year")

    class form_class(forms.CloseYearForm):  # noqa: N801
        def __init__(self, *args, instance=None, **kwargs):
            super().__init__(*args, **kwargs)
            from django import forms as django_forms

            self.fields["organisation"] = django_forms.ModelChoiceField(
                label=_("Organisation"), queryset=policy_for(ClosedYear).organisations_for_add(self.request.user.scope)
            )
            self.order_fields(["organisation", "year"])

    def save(self, form):
        return services.close_year(organisation=form.cleaned_data["organisation"], year=form.cleaned_data["year"],
                                   actor=self.request.user)  # fmt: skip

    def get_success_url(self):
        return reverse("contracts:budget_list")

    def get_cancel_url(self):
        return reverse("contracts:budget_list")


# --- the general-ledger import ----------------------------------------------------------------------------------

SESSION_KEY = "moulin_ledger_upload"
MAX_UPLOAD = 5 * 1024 * 1024


class LedgerImportView(ScopedMixin, View):
    """Upload the general ledger (CSV), map its columns once (kept per organisation), preview every row with its
    errors, then import all rows in one transaction — or none."""

    model = LedgerImport
    template_name = "contracts/ledger_import.html"

    def check(self):
        if not policy_for(LedgerImport).can(self.scope, ADD, LedgerImport):
            raise PermissionDenied(_("Your role does not allow importing the general ledger."))

    def get_breadcrumbs(self):
        return [(_("Budgets"), reverse("contracts:budget_list")), (_("Import the general ledger"), "")]

    def pending(self):
        data = self.request.session.get(SESSION_KEY)
        if not data:
            return None

        org = policy_for(LedgerImport).organisations_for_add(self.scope).filter(pk=data["organisation"]).first()
        if org is None:
            return None
        return org, base64.b64decode(data["content"]), data["name"]

    def get(self, request):
        self.check()
        form = forms.LedgerUploadForm(request=request)
        imports = LedgerImport.objects.visible_to(request.user).select_related("organisation", "imported_by")[:20]
        return self.render(self.template_name, {"form": form, "imports": imports, "step": "upload"})

    def post(self, request):
        self.check()
        step = request.POST.get("step", "upload")
        if step == "upload":
            return self.upload(request)
        pending = self.pending()
        if pending is None:
            return HttpResponseRedirect(reverse("contracts:ledger_import"))
        org, content, name = pending
        if step == "map":
            return self.map(request, org, content, name)
        if step == "commit":
            return self.commit(request, org, content, name)
        return HttpResponseRedirect(reverse("contracts:ledger_import"))

    def upload(self, request):
        form = forms.LedgerUploadForm(request.POST, request.FILES, request=request)
        if not form.is_valid():
            return self.render(self.template_name, {"form": form, "step": "upload"}, status=422)
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", _("The file is larger than 5 MB: split it by period."))
            return self.render(self.template_name, {"form": form, "step": "upload"}, status=422)
        content = upload.read()
        org = form.cleaned_data["organisation"]
        request.session[SESSION_KEY] = {"organisation": org.pk, "content": base64.b64encode(content).decode(),
                                        "name": upload.name}  # fmt: skip
        mapping = LedgerMapping.objects.filter(organisation=org).first()
        if mapping is None:
            return self.mapping_page(org, content, name=upload.name)
        return self.preview_page(org, content, upload.name, mapping)

    def mapping_page(self, org, content, name, form=None, status=200):
        mapping = LedgerMapping.objects.filter(organisation=org).first()
        delimiter = mapping.delimiter if mapping else ";"
        try:
            headers = ledger.headers_of(content, delimiter)
            if len(headers) < 3 and delimiter == ";":
                headers = ledger.headers_of(content, ",")
        except ValidationError as exc:
            return self.render(self.template_name, {"form": forms.LedgerUploadForm(request=self.request),
                                                    "step": "upload", "error": " ".join(exc.messages)}, status=422)  # fmt: skip  # noqa: E501
        if form is None:
            initial = {f"col_{k}": v for k, v in (mapping.columns if mapping else {}).items()}
            if mapping:
                initial.update(delimiter=mapping.delimiter, decimal_comma=mapping.decimal_comma,
                               date_format=mapping.date_format)  # fmt: skip
            form = forms.LedgerMappingForm(headers=headers, initial=initial, request=self.request)
        return self.render(self.template_name, {"form": form, "step": "map", "organisation": org, "file_name": name},
                           status=status)  # fmt: skip

    def map(self, request, org, content, name):
        if request.POST.get("remap"):
            return self.mapping_page(org, content, name)
        headers = ledger.headers_of(content, request.POST.get("delimiter") or ";")
        form = forms.LedgerMappingForm(request.POST, headers=headers, request=request)
        if not form.is_valid():
            return self.mapping_page(org, content, name, form=form, status=422)
        mapping = ledger.save_mapping(organisation=org, columns=form.columns(), delimiter=form.cleaned_data["delimiter"],  # noqa: E501
                                      decimal_comma=form.cleaned_data["decimal_comma"],
                                      date_format=form.cleaned_data["date_format"], actor=request.user)  # fmt: skip
        return self.preview_page(org, content, name, mapping)

    def preview_page(self, org, content, name, mapping, status=200, error=""):
        try:
            result = ledger.preview(organisation=org, content=content, file_name=name, mapping=mapping)
        except ValidationError as exc:
            return self.render(self.template_name, {"step": "remap", "organisation": org, "file_name": name,
                                                    "error": " ".join(exc.messages)}, status=422)  # fmt: skip
        return self.render(self.template_name, {"step": "preview", "preview": result, "organisation": org,
                                                "file_name": name, "error": error, "mapping": mapping,
                                                "shown": result.rows[:200]}, status=status)  # fmt: skip

    def commit(self, request, org, content, name):
        from django.contrib import messages

        mapping = get_object_or_404(LedgerMapping, organisation=org)
        try:
            done = ledger.commit(
                organisation=org, content=content, file_name=name, mapping=mapping, actor=request.user
            )
        except ValidationError as exc:
            return self.preview_page(org, content, name, mapping, status=422, error=" ".join(exc.messages))
        request.session.pop(SESSION_KEY, None)
        messages.success(
            request, gettext("%(n)s rows imported from %(file)s.") % {"n": done.rows, "file": done.file_name}
        )
        return HttpResponseRedirect(reverse("contracts:ledger_import"))


# --- the funding mix --------------------------------------------------------------------------------------------


class FundingMixView(ScopedMixin, View):
    """The funding mix of a year: the network's, or one organisation's, project's or commune's — counted through
    the policies. The ministry officer sees the network's only."""

    model = Receipt
    template_name = "contracts/funding_mix.html"

    def get_breadcrumbs(self):
        return [(_("Funding mix"), "")]

    def get(self, request):
        scope = self.scope
        if not scope.authenticated or not (scope.reads_network_aggregates or scope.network_finance
                                           or policy_for(Receipt).can_list(scope)):  # fmt: skip
            raise PermissionDenied(_("Your role does not give access to the funding mix."))
        today = timezone.localdate()
        network_only = scope.aggregate_only
        form = forms.MixForm(request.GET or None, request=request)
        year, organisation, project, commune = today.year, None, None, None
        if form.is_valid():
            year = form.cleaned_data.get("year") or today.year
            if not network_only:
                organisation = form.cleaned_data.get("organisation")
                project = form.cleaned_data.get("project")
                commune = form.cleaned_data.get("commune")
        if network_only:
            form = None
        elif (
            organisation is None
            and project is None
            and commune is None
            and not scope.reads_network_aggregates
            and not scope.network_finance
        ):
            # a role that reads one organisation's money sees its own organisation's mix first
            organisation = form.fields["organisation"].queryset.first() if form else None
        mix = funding_mix(year=year, organisation=organisation, project=project, commune=commune, user=request.user)
        reinvested = None
        if organisation is not None and not network_only:
            reinvested = reinvestment(year=year, organisation=organisation, user=request.user)
        return self.render(self.template_name, {
            "form": form, "mix": mix, "bar": svg_bar(mix), "year": year, "organisation": organisation,
            "project": project, "commune": commune, "reinvested": reinvested, "years": range(today.year - 3, today.year + 1),  # noqa: E501
        })  # fmt: skip
