package cli

// Bounds of the files given by flags (stackfile.ReadFile): far above any
// real one, they keep a file given by mistake from exhausting memory.
const (
	maxStateBytes  = 256 << 20 // a Terraform state, HUD history
	maxCACertBytes = 4 << 20   // a PEM bundle
	maxTypesBytes  = 64 << 20  // a list of machine types
)
