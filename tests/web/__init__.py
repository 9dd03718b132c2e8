"""End-to-end tests of the review page in headless Chromium."""
