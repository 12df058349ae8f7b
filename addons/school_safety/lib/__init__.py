"""Plain Python pieces of school_safety: no ORM, no environment, testable without a database."""
