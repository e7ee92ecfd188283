"""Running the service: its metrics and the retention of what it stores."""
