"""The after-sales domain: tickets, escalations, commitments, fees, personal data, quality."""
