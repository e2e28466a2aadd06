"""The conversation: one turn in, one Reply out; flows that span turns; what Kindly says, as data."""
