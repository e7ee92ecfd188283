"""The sales service: targets, pipeline, prices and contracts (policy section 2, judged by 4.1)."""
