"""Coaching: examples kept from calls, the library, assigning them, and the employee's page."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from qa.calls.media import recording_response
from qa.coaching import bp
from qa.coaching.forms import (
    AssignForm,
    AssignmentFilterForm,
    ExampleForm,
    LibraryFilterForm,
    SeenForm,
)
from qa.errors import back_on_error, show_form_on_error
from qa.extensions import db
from qa.models import Call, CoachingAssignment, CoachingExample
from qa.roles import requires
from qa.services.errors import ValidationFailed
from qa.services.quality import coaching as coaching_service
from qa.services.validation import page_number


def example_url(example: CoachingExample) -> str:
    """The call page with the player at the example's moment."""
    if not example.is_moment:
        return url_for("calls.detail", call_id=example.call_id)
    anchor = f"seg-{example.segment_id}" if example.segment_id else None
    return url_for(
        "calls.detail", call_id=example.call_id, t=round(example.start_s or 0, 2), _anchor=anchor
    )


@bp.app_context_processor
def coaching_helpers() -> dict[str, Any]:
    return {"coaching_example_url": example_url}


def _tag_names() -> dict[str, dict[str, str]]:
    return {
        "items": dict(coaching_service.item_choices()),
        "labels": dict(coaching_service.label_choices()),
    }


@bp.route("/calls/<int:call_id>/new", methods=["GET", "POST"])
@requires("coaching.create")
def new(call_id: int):  # type: ignore[no-untyped-def]
    call = db.get_or_404(Call, call_id)
    form = ExampleForm(
        data=coaching_service.prefill(
            call, request.args.get("segment"), request.args.get("t"), request.args.get("end")
        )
    )
    form.items.choices = coaching_service.item_choices()
    form.labels.choices = coaching_service.label_choices()
    page = show_form_on_error(
        lambda: render_template(
            "coaching/new.html", call=call, form=form, length=coaching_service.call_length(call)
        )
    )
    if form.validate_on_submit():
        example = coaching_service.create_example(
            call,
            kind=form.kind.data,
            note=form.note.data,
            segment_id=form.segment.data,
            start=form.start.data,
            end=form.end.data,
            items=form.items.data,
            labels=form.labels.data,
            user=current_user,
        )
        db.session.commit()
        flash(_("Example saved to the coaching library."), "success")
        return redirect(example_url(example))
    return page(), (400 if form.errors else 200)


@bp.route("/")
@requires("coaching.library")
def library():  # type: ignore[no-untyped-def]
    names = _tag_names()
    form = LibraryFilterForm(request.args)
    form.item.choices = [("", _("Any item")), *names["items"].items()]
    form.label.choices = [("", _("Any objection or tracker")), *names["labels"].items()]
    form.validate()

    def valid(field: Any) -> Any:
        return None if field.errors else (field.data or None)

    filters = coaching_service.ExampleFilters(
        item=valid(form.item),
        label=valid(form.label),
        kind=valid(form.kind),
        lang=valid(form.lang),
        text=valid(form.q),
    )
    show_form_on_error(
        lambda: render_template(
            "coaching/library.html", pagination=None, form=form, names=names, args={}
        )
    )
    pagination = coaching_service.list_examples(filters, page_number(request.args.get("page")))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "coaching/library.html", pagination=pagination, form=form, names=names, args=args
    ), (400 if form.errors else 200)


@bp.route("/examples/<int:example_id>/assign", methods=["GET", "POST"])
@requires("coaching.assign")
def assign(example_id: int):  # type: ignore[no-untyped-def]
    example = db.get_or_404(CoachingExample, example_id)
    form = AssignForm()
    form.assignee.choices = [("", _("Choose an employee"))] + [
        (str(u.id), u.name) for u in coaching_service.assignable_employees()
    ]
    page = show_form_on_error(
        lambda: render_template(
            "coaching/assign.html", example=example, form=form, names=_tag_names()
        )
    )
    if form.validate_on_submit():
        row = coaching_service.assign(
            example,
            form.assignee.data,
            note=form.note.data,
            due_on=form.due_on.data,
            user=current_user,
        )
        db.session.commit()
        flash(_("Assigned to %(name)s.", name=row.assignee.name), "success")
        return redirect(url_for("coaching.assignments"))
    return page(), (400 if form.errors else 200)


@bp.route("/assignments")
@requires("coaching.assign")
def assignments():  # type: ignore[no-untyped-def]
    form = AssignmentFilterForm(request.args)
    form.validate()
    state = None if form.state.errors else (form.state.data or None)
    pagination = coaching_service.list_assignments(state, page_number(request.args.get("page")))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "coaching/assignments.html",
        pagination=pagination,
        form=form,
        args=args,
        counts=coaching_service.assignment_counts(),
        is_overdue=coaching_service.is_overdue,
    ), (400 if form.errors else 200)


@bp.route("/mine")
@requires("coaching.mine")
def mine():  # type: ignore[no-untyped-def]
    return render_template(
        "coaching/mine.html",
        rows=coaching_service.my_assignments(current_user),
        is_overdue=coaching_service.is_overdue,
    )


def _own(coaching_id: int) -> CoachingAssignment:
    """The signed-in user's assignment: another's is not found, like one that does not exist."""
    row = coaching_service.own_assignment(coaching_id, current_user)
    if row is None:
        abort(404)
    return row


@bp.route("/mine/<int:coaching_id>")
@requires("coaching.mine")
def mine_detail(coaching_id: int):  # type: ignore[no-untyped-def]
    row = _own(coaching_id)
    example = row.example
    return render_template(
        "coaching/mine_detail.html",
        row=row,
        example=example,
        lines=coaching_service.excerpt(example),
        names=_tag_names(),
        seen_form=SeenForm(),
        is_overdue=coaching_service.is_overdue,
    )


@bp.route("/mine/<int:coaching_id>/recording")
@requires("coaching.mine")
def mine_recording(coaching_id: int):  # type: ignore[no-untyped-def]
    """The call's recording, only to the employee the example is assigned to."""
    row = _own(coaching_id)
    return recording_response(row.example.call)


@bp.route("/mine/<int:coaching_id>/seen", methods=["POST"])
@requires("coaching.mine")
def mark_seen(coaching_id: int):  # type: ignore[no-untyped-def]
    row = _own(coaching_id)
    back = url_for("coaching.mine_detail", coaching_id=row.id)
    back_on_error(back)
    form = SeenForm()
    if not form.validate_on_submit():
        raise ValidationFailed(_("The form could not be read; try again."))
    coaching_service.mark_seen(row)
    db.session.commit()
    flash(_("Marked as seen."), "success")
    return redirect(back)
