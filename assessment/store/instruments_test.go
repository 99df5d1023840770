package store_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/store"
)

// The instrument kept decoded agrees with the database's every time, and a
// caller changing its copy changes nobody else's.
func TestInstrumentKeptDecodedAgreesWithTheDatabase(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			st, ctx := f.Store.(*store.Store), context.Background()
			for _, id := range []string{f.Instrument.ID, f.ShortForm.ID} {
				plain, err := st.ReadInstrument(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				for range 2 { // the first read decodes, the second is the kept copy
					kept, err := st.Instrument(ctx, id)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(kept, plain) {
						t.Fatalf("instrument %s kept differs from the database's", id)
					}
					kept.Skills[0].Items[0].Others = "changed by a caller"
					kept.Scale.Labels[0] = "changed"
					kept.Questions[0].Self = "changed"
				}
			}
			if _, err := st.Instrument(ctx, "no-such-instrument"); err == nil {
				t.Fatal("an unknown instrument was found")
			}
		})
	}
}
