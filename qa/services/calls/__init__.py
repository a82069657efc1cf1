"""Calls and transcripts: intake, jobs, transcripts, objections, trackers, search."""
