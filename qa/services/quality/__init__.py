"""Reviews and scorecards: reviews, sampling, calibration, agents' scores."""
