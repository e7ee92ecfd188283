"""The after-sales service: tickets, customer files, fees (policy section 3, judged by 4.2)."""
