from flask import (
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from qa.auth import bp
from qa.auth.forms import LanguageForm, LoginForm, PasswordChangeForm
from qa.errors import show_form_on_error
from qa.extensions import db, limiter
from qa.roles import requires
from qa.services.admin import users
from qa.services.errors import LoginThrottled
from qa.urls import safe_next


def _login_rate_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _too_many_from_address(limit: object) -> Response:
    flash(_("Too many login attempts from your address. Try again later."), "danger")
    return make_response(render_template("auth/login.html", form=LoginForm()), 429)


@bp.route("/login", methods=["GET", "POST"])
# Per client address, on top of the per-account lockout: guessing across many accounts.
@limiter.limit(_login_rate_limit, methods=["POST"], on_breach=_too_many_from_address)
def login():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("home"))
    form = LoginForm()
    if form.validate_on_submit():
        cfg = current_app.config
        try:
            user = users.authenticate(
                form.email.data or "",
                form.password.data or "",
                cfg["LOGIN_MAX_FAILURES"],
                cfg["LOGIN_LOCK_MINUTES"],
            )
        except LoginThrottled as exc:
            db.session.commit()
            flash(str(exc), "danger")
            return render_template("auth/login.html", form=form), 429
        db.session.commit()
        if user is None or not user.is_active:
            flash(_("Wrong email or password."), "danger")
            return render_template("auth/login.html", form=form), 401
        login_user(user, remember=form.remember.data)
        return redirect(safe_next(request.args.get("next")) or url_for("home"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@requires("account")
def logout():  # type: ignore[no-untyped-def]
    # A copy of the session cookie must not outlive the logout: this ends every session of the
    # user (other browsers too), since sessions live in signed cookies, not on the server.
    users.end_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@requires("account")
def account():  # type: ignore[no-untyped-def]
    password_form = PasswordChangeForm(prefix="pw")
    language_form = LanguageForm(prefix="lang", language=current_user.language or "")
    page = show_form_on_error(
        lambda: render_template(
            "auth/account.html", password_form=password_form, language_form=language_form
        )
    )
    if password_form.submit.data and password_form.validate_on_submit():
        users.change_password(
            current_user,
            password_form.current_password.data or "",
            password_form.new_password.data or "",
        )
        db.session.commit()
        # The change ended every session of the user; this browser stays logged in.
        login_user(current_user._get_current_object())
        flash(_("Your password has been changed."), "success")
        return redirect(url_for("auth.account"))
    elif language_form.submit.data and language_form.validate_on_submit():
        current_user.language = language_form.language.data or None
        db.session.commit()
        flash(_("Language saved."), "success")
        return redirect(url_for("auth.account"))
    return page(), (400 if password_form.errors or language_form.errors else 200)
