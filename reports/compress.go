package reports

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"regexp"
	"strconv"
	"sync"
)

// gofpdf compresses each page with a new zlib writer, and a new writer
// allocates and clears about 800 KB of tables: for a 15-page report that was
// a third of the rendering time. The document is therefore drawn with page
// compression off, and compressStreams compresses the pages afterwards with
// a writer taken from a pool and Reset, which keeps the tables.
var zlibPool = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed) // the level is valid
	return w
}}

var (
	objStart = regexp.MustCompile(`^(\d+) 0 obj\n`)
	lengthRe = regexp.MustCompile(`/Length (\d+)`)
	firstObj = regexp.MustCompile(`\n\d+ 0 obj\n`)
)

// compressStreams rewrites a PDF written by gofpdf with compression off: every
// stream without a /Filter is Flate-compressed, and the cross-reference table
// is rebuilt with the new offsets. It walks the objects in file order and
// skips each stream by its /Length, so binary font data is never searched.
// It understands exactly the layout gofpdf writes and fails on anything else.
func compressStreams(in []byte) ([]byte, error) {
	zw := zlibPool.Get().(*zlib.Writer)
	defer zlibPool.Put(zw)

	loc := firstObj.FindIndex(in)
	if loc == nil {
		return nil, fmt.Errorf("compress pdf: no objects")
	}
	first := loc[0]
	out := bytes.NewBuffer(make([]byte, 0, len(in)/3))
	out.Write(in[:first+1])
	offsets := map[int]int{}
	var zbuf bytes.Buffer
	pos := first + 1
	for {
		m := objStart.FindSubmatch(in[pos:])
		if m == nil {
			break
		}
		num, _ := strconv.Atoi(string(m[1]))
		offsets[num] = out.Len()
		next, err := copyObject(out, in, pos, num, zw, &zbuf)
		if err != nil {
			return nil, err
		}
		pos = next
	}
	if err := writeXref(out, in, pos, offsets); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// copyObject copies object num, which starts at in[pos], to out, its stream
// compressed with zw (through zbuf) unless it has a /Filter already. It
// returns where the next object starts.
func copyObject(out *bytes.Buffer, in []byte, pos, num int, zw *zlib.Writer, zbuf *bytes.Buffer) (int, error) {
	end := bytes.Index(in[pos:], []byte("endobj\n"))
	st := bytes.Index(in[pos:], []byte(">>\nstream\n"))
	if end < 0 {
		return 0, fmt.Errorf("compress pdf: object %d has no end", num)
	}
	if st < 0 || st > end {
		out.Write(in[pos : pos+end+len("endobj\n")])
		return pos + end + len("endobj\n"), nil
	}
	dict := in[pos : pos+st+2]
	lm := lengthRe.FindSubmatchIndex(dict)
	if lm == nil {
		return 0, fmt.Errorf("compress pdf: stream %d has no length", num)
	}
	n, _ := strconv.Atoi(string(dict[lm[2]:lm[3]]))
	dataStart := pos + st + len(">>\nstream\n")
	tail := []byte("\nendstream\nendobj\n")
	if dataStart+n+len(tail) > len(in) || !bytes.Equal(in[dataStart+n:dataStart+n+len(tail)], tail) {
		return 0, fmt.Errorf("compress pdf: stream %d does not end where its length says", num)
	}
	data := in[dataStart : dataStart+n]
	if bytes.Contains(dict, []byte("/Filter")) {
		out.Write(in[pos : dataStart+n+len(tail)])
	} else {
		zbuf.Reset()
		zw.Reset(zbuf)
		zw.Write(data) // writes to a bytes.Buffer do not fail
		if err := zw.Close(); err != nil {
			return 0, fmt.Errorf("compress pdf: %w", err)
		}
		out.Write(dict[:lm[0]])
		fmt.Fprintf(out, "/Filter /FlateDecode /Length %d", zbuf.Len())
		out.Write(dict[lm[1]:])
		out.WriteString("\nstream\n")
		out.Write(zbuf.Bytes())
		out.Write(tail)
	}
	return dataStart + n + len(tail), nil
}

// writeXref writes a cross-reference table of the objects at offsets in
// out, then the trailer of in, whose objects end at in[pos].
func writeXref(out *bytes.Buffer, in []byte, pos int, offsets map[int]int) error {
	if !bytes.HasPrefix(in[pos:], []byte("xref\n")) {
		return fmt.Errorf("compress pdf: no cross-reference table after the objects")
	}
	trailer := bytes.Index(in[pos:], []byte("trailer\n"))
	startxref := bytes.LastIndex(in, []byte("startxref\n"))
	if trailer < 0 || startxref < 0 {
		return fmt.Errorf("compress pdf: no trailer")
	}
	xref := out.Len()
	fmt.Fprintf(out, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for i := 1; i <= len(offsets); i++ {
		off, ok := offsets[i]
		if !ok {
			return fmt.Errorf("compress pdf: object %d is missing", i)
		}
		fmt.Fprintf(out, "%010d 00000 n \n", off)
	}
	out.Write(in[pos+trailer : startxref])
	fmt.Fprintf(out, "startxref\n%d\n%%%%EOF\n", xref)
	return nil
}
