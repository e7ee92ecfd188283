"""Review: cases, decisions and appeals, the audit chain and its anchors, the HR feed, labels."""
