package extract

// places: pending the gazetteer API (internal/places Find/Resolve).
func (d *doc) places() []Fact { return nil }
