package stats

// ForcePlan makes s read every figure in one pass over the records table
// (narrow false) or through the index tables whenever the filter allows
// (narrow true), whatever it costs, so a test can check that both ways
// give the same figures.
func ForcePlan(s *Stats, narrow bool) {
	s.force = planPass
	if narrow {
		s.force = planNarrow
	}
}
