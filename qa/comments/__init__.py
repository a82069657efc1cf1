"""The comments blueprint: writing, replying to, editing and deleting comments on calls and
review items. The threads are shown on the call and review pages."""

from flask import Blueprint

bp = Blueprint("comments", __name__)
