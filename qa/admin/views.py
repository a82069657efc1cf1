from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from qa.admin import bp
from qa.admin.forms import (
    ApiTokenForm,
    AuditFilterForm,
    CompanySettingsForm,
    PasswordResetForm,
    UserCreateForm,
    UserEditForm,
)
from qa.errors import show_form_on_error
from qa.extensions import db
from qa.models import ApiToken, CompanySettings, User
from qa.roles import requires
from qa.services.admin import api_tokens, audit_log
from qa.services.admin import settings as settings_service
from qa.services.admin import users as user_service
from qa.services.calls.threshold_preview import preview_thresholds
from qa.services.errors import ValidationFailed
from qa.services.privacy import retention
from qa.services.validation import page_number


@bp.route("/users")
@requires("users")
def users():  # type: ignore[no-untyped-def]
    all_users = user_service.list_users()
    return render_template("admin/users.html", users=all_users)


@bp.route("/users/new", methods=["GET", "POST"])
@requires("users")
def user_new():  # type: ignore[no-untyped-def]
    form = UserCreateForm()
    page = show_form_on_error(lambda: render_template("admin/user_new.html", form=form))
    if form.validate_on_submit():
        user = user_service.create_user(
            form.email.data or "",
            form.name.data or "",
            form.password.data or "",
            form.role.data or "",
            form.language.data or None,
        )
        db.session.commit()
        flash(_("User %(email)s created.", email=user.email), "success")
        return redirect(url_for("admin.users"))
    return page(), (400 if form.errors else 200)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires("users")
def user_edit(user_id: int):  # type: ignore[no-untyped-def]
    user = db.get_or_404(User, user_id)
    form = UserEditForm(
        prefix="edit", obj=user, active=user.is_active_user, language=user.language or ""
    )
    reset_form = PasswordResetForm(prefix="reset")
    page = show_form_on_error(
        lambda: render_template("admin/user_edit.html", user=user, form=form, reset_form=reset_form)
    )
    if form.submit.data and form.validate_on_submit():
        user_service.update_user(
            user,
            name=form.name.data or "",
            role=form.role.data or "",
            language=form.language.data or None,
            active=bool(form.active.data),
        )
        db.session.commit()
        _keep_own_session(user)
        flash(_("User saved."), "success")
        return redirect(url_for("admin.users"))
    elif reset_form.submit.data and reset_form.validate_on_submit():
        user_service.set_password(user, reset_form.password.data or "")
        db.session.commit()
        _keep_own_session(user)
        flash(_("Password reset."), "success")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    return page(), (400 if form.errors or reset_form.errors else 200)


@bp.route("/settings", methods=["GET", "POST"])
@requires("settings")
def settings():  # type: ignore[no-untyped-def]
    current = settings_service.company_settings()
    form = CompanySettingsForm(obj=current)
    page = show_form_on_error(lambda: render_template("admin/settings.html", form=form))
    if form.validate_on_submit() and form.preview.data:
        proposed = settings_service.checked_thresholds(_thresholds_from(form))
        preview = preview_thresholds(proposed)
        db.session.commit()  # the defaults row, made on first visit
        return render_template("admin/settings.html", form=form, preview=preview)
    if form.validate_on_submit():
        settings_service.update_objection_thresholds(_thresholds_from(form))
        settings_service.update_redaction(
            enabled=bool(form.redact_transcripts.data),
            keep_originals=bool(form.keep_originals.data),
            roles=form.original_roles.data or [],
        )
        settings_service.update_company_settings(
            name=form.name.data or "",
            timezone=form.timezone.data or "",
            currency=form.currency.data or "",
            phone_region=form.phone_region.data or "",
            lead_link_window_hours=form.lead_link_window_hours.data or 24,
            dispute_window_days=form.dispute_window_days.data,
            bands=_bands_from(form, current),
        )
        retention.update_retention(
            {kind: getattr(form, column).data for kind, column in retention.COLUMNS.items()}
        )
        db.session.commit()
        flash(_("Settings saved."), "success")
        return redirect(url_for("admin.settings"))
    db.session.commit()  # the defaults row, made on first visit
    return page(), (400 if form.errors else 200)


def _thresholds_from(form: CompanySettingsForm) -> dict[str, object]:
    """The objection thresholds as typed, by label (checked by the service)."""
    return {
        label: getattr(form, column).data
        for label, column in settings_service.THRESHOLD_COLUMNS.items()
    }


def _bands_from(
    form: CompanySettingsForm, current: CompanySettings
) -> settings_service.TargetBands:
    """Bands as submitted; a field left empty keeps its stored value."""
    stored = settings_service.target_bands(current)
    submitted = {f.name: getattr(form, f.name).data for f in fields(stored)}
    return replace(stored, **{k: v for k, v in submitted.items() if v is not None})


@bp.route("/api-tokens", methods=["GET", "POST"])
@requires("api_tokens")
def api_tokens_page():  # type: ignore[no-untyped-def]
    form = ApiTokenForm()
    new_token = None
    show_form_on_error(lambda: _tokens_page(form, None))
    if form.validate_on_submit():
        _token, new_token = api_tokens.create_token(form.name.data or "", current_user)
        db.session.commit()
        flash(_("Token created. Copy it now: it will not be shown again."), "warning")
        form = ApiTokenForm(formdata=None)
    return _tokens_page(form, new_token), (400 if form.errors else 200)


def _tokens_page(form: ApiTokenForm, new_token: str | None) -> str:
    tokens = api_tokens.list_tokens()
    return render_template("admin/api_tokens.html", form=form, tokens=tokens, new_token=new_token)


@bp.route("/api-tokens/<int:token_id>/revoke", methods=["POST"])
@requires("api_tokens")
def api_token_revoke(token_id: int):  # type: ignore[no-untyped-def]
    api_tokens.revoke_token(db.get_or_404(ApiToken, token_id))
    db.session.commit()
    flash(_("Token revoked."), "info")
    return redirect(url_for("admin.api_tokens_page"))


def _keep_own_session(user: User) -> None:
    """Editing oneself ends one's sessions too (new session version): stay logged in here."""
    if user.id == current_user.id and user.is_active:
        login_user(user)


def _audit_filters(form: AuditFilterForm) -> audit_log.AuditFilters:
    """The service filters from the GET form; a field the user got wrong is flagged on the form
    and left out."""
    form.validate()

    def checked(field: Any, check: Callable[[Any], Any]) -> Any:
        if field.errors:
            return None
        try:
            return check(field.data)
        except ValidationFailed as exc:
            field.errors = [*field.errors, str(exc)]
            return None

    return audit_log.AuditFilters(
        actor=checked(form.actor, audit_log.actor_text),
        action=checked(form.action, lambda value: value or None),
        object_type=checked(form.object_type, lambda value: value or None),
        object_id=checked(form.object_id, audit_log.object_id),
        date_from=checked(form.date_from, audit_log.day),
        date_to=checked(form.date_to, audit_log.day),
    )


@bp.route("/audit")
@requires("audit")
def audit():  # type: ignore[no-untyped-def]
    form = AuditFilterForm(request.args)
    return _audit_page(form, _audit_filters(form))


def _audit_page(form: AuditFilterForm, filters: audit_log.AuditFilters) -> tuple[str, int]:
    pagination = audit_log.list_events(filters, page_number(request.args.get("page")))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    page = render_template("admin/audit.html", form=form, pagination=pagination, args=args)
    return page, (400 if form.errors else 200)


@bp.route("/audit.csv")
@requires("audit")
def audit_export():  # type: ignore[no-untyped-def]
    """The filtered events as CSV; wrong filters show the page with their messages instead."""
    form = AuditFilterForm(request.args)
    filters = _audit_filters(form)
    if form.errors:
        return _audit_page(form, filters)
    return Response(
        audit_log.export_csv(filters),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=audit.csv"},
    )
