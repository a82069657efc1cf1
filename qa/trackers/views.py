from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from qa.errors import show_form_on_error
from qa.extensions import db
from qa.models import GlossaryTerm, Tracker
from qa.roles import requires
from qa.services.calls import trackers as tracker_service
from qa.trackers import bp
from qa.trackers.forms import GlossaryForm, ToggleForm, TrackerForm


def _page(status: int = 200, **context: Any):  # type: ignore[no-untyped-def]
    context.setdefault("form", TrackerForm(formdata=None))
    context.setdefault("term_form", GlossaryForm(formdata=None))
    return render_template(
        "trackers/index.html",
        trackers=tracker_service.list_trackers(),
        terms=tracker_service.list_glossary(),
        packs=tracker_service.builtin_packs(),
        toggle_form=ToggleForm(),
        **context,
    ), status


def _try_out(form: TrackerForm) -> tracker_service.TryOutResult:
    return tracker_service.try_phrases(
        lang=form.lang.data or "",
        said_by=form.said_by.data or "",
        phrases=tracker_service.parse_phrases(form.phrases.data or ""),
        name=form.name.data or "",
        label=form.label.data or "",
    )


def _save(form: TrackerForm, tracker: Tracker | None) -> Tracker:
    saved = tracker_service.save_tracker(
        tracker,
        name=form.name.data or "",
        label=form.label.data or "",
        lang=form.lang.data or "",
        said_by=form.said_by.data or "",
        phrases=tracker_service.parse_phrases(form.phrases.data or ""),
        active=bool(form.active.data),
        user=current_user,
    )
    db.session.commit()
    flash(_("Tracker “%(name)s” saved. It applies to calls analysed from now on.",
            name=saved.name), "success")
    return saved


@bp.route("/")
@requires("trackers")
def index():  # type: ignore[no-untyped-def]
    return _page()


@bp.route("/new", methods=["POST"])
@requires("trackers")
def new():  # type: ignore[no-untyped-def]
    form = TrackerForm()
    show_form_on_error(lambda: _page(form=form)[0])
    if form.validate_on_submit():
        if form.try_it.data:
            return _page(form=form, tried=_try_out(form))
        _save(form, None)
        return redirect(url_for("trackers.index"))
    return _page(400, form=form)


@bp.route("/<int:tracker_id>", methods=["GET", "POST"])
@requires("trackers")
def edit(tracker_id: int):  # type: ignore[no-untyped-def]
    tracker = db.get_or_404(Tracker, tracker_id)
    # A POST is read from the form alone: fields left out must not fall back to the stored
    # tracker (its phrases are a list, the field holds text).
    form = TrackerForm(obj=tracker) if request.method == "GET" else TrackerForm()
    if request.method == "GET":
        form.phrases.data = "\n".join(tracker.phrases or [])
    tried = None
    show_form_on_error(
        lambda: render_template("trackers/edit.html", form=form, tracker=tracker, tried=None)
    )
    if form.validate_on_submit():
        if form.try_it.data:
            tried = _try_out(form)
        else:
            _save(form, tracker)
            return redirect(url_for("trackers.index"))
    status = 400 if form.errors else 200
    return render_template(
        "trackers/edit.html", form=form, tracker=tracker, tried=tried
    ), status


@bp.route("/<int:tracker_id>/toggle", methods=["POST"])
@requires("trackers")
def toggle(tracker_id: int):  # type: ignore[no-untyped-def]
    tracker = db.get_or_404(Tracker, tracker_id)
    if ToggleForm().validate_on_submit():
        tracker_service.set_tracker_active(tracker, not tracker.active)
        db.session.commit()
        if tracker.active:
            flash(_("Tracker “%(name)s” is on.", name=tracker.name), "success")
        else:
            flash(_("Tracker “%(name)s” is off.", name=tracker.name), "info")
    return redirect(url_for("trackers.index"))


@bp.route("/glossary", methods=["POST"])
@requires("trackers")
def glossary_new():  # type: ignore[no-untyped-def]
    term_form = GlossaryForm()
    show_form_on_error(lambda: _page(term_form=term_form)[0])
    if term_form.validate_on_submit():
        term = tracker_service.save_term(
            None, text=term_form.term.data or "", misheard=term_form.misheard.data,
            kind=term_form.kind.data or "",
        )
        db.session.commit()
        flash(_("“%(term)s” added to the glossary.", term=term.term), "success")
        return redirect(url_for("trackers.index", _anchor="glossary"))
    return _page(400, term_form=term_form)


@bp.route("/glossary/<int:term_id>", methods=["GET", "POST"])
@requires("trackers")
def glossary_edit(term_id: int):  # type: ignore[no-untyped-def]
    term = db.get_or_404(GlossaryTerm, term_id)
    form = GlossaryForm(obj=term)
    show_form_on_error(
        lambda: render_template(
            "trackers/glossary_edit.html", form=form, term=term, delete_form=ToggleForm()
        )
    )
    if form.validate_on_submit():
        tracker_service.save_term(
            term, text=form.term.data or "", misheard=form.misheard.data,
            kind=form.kind.data or "",
        )
        db.session.commit()
        flash(_("Glossary term saved."), "success")
        return redirect(url_for("trackers.index", _anchor="glossary"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "trackers/glossary_edit.html", form=form, term=term, delete_form=ToggleForm()
    ), status


@bp.route("/glossary/<int:term_id>/delete", methods=["POST"])
@requires("trackers")
def glossary_delete(term_id: int):  # type: ignore[no-untyped-def]
    term = db.get_or_404(GlossaryTerm, term_id)
    if ToggleForm().validate_on_submit():
        name = term.term
        tracker_service.delete_term(term)
        db.session.commit()
        flash(_("“%(term)s” removed from the glossary.", term=name), "info")
    return redirect(url_for("trackers.index", _anchor="glossary"))
