package ingest

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// page is what an HTML page says about itself, besides its text.
type page struct{ title, published, url, outlet string }

// readHTML returns the readable text of a page and what it says about
// itself. The text is that of the body, without what a reader does not
// read (head, scripts, styles, navigation, forms' controls, embedded
// media, hidden elements); block elements and <br> end lines, other white
// space collapses to one space, entities are decoded.
//
// The date is <meta property="article:published_time">, else the first
// <time datetime> in the readable text; the title is <title>, else the
// first <h1>.
func readHTML(src string) (string, page, error) {
	root, err := html.Parse(strings.NewReader(src))
	if err != nil { // nested more than 512 deep
		return "", page{}, err
	}
	p := pageMeta(root)
	var t textBuilder
	var timeDate string
	walkTree(root, func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			t.text(n.Data)
		case html.ElementNode:
			if skipElement(n) {
				return false
			}
			switch {
			case n.DataAtom == atom.Br:
				t.newline(false)
			case n.DataAtom == atom.Td || n.DataAtom == atom.Th:
				t.space = true
			case n.DataAtom == atom.Pre:
				t.pre++
			case n.DataAtom == atom.Time && timeDate == "":
				timeDate = normaliseDate(attr(n, "datetime"))
			}
			if blockElements[n.DataAtom] {
				t.newline(true)
			}
		}
		return true
	}, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		if n.DataAtom == atom.Pre {
			t.pre--
		}
		if blockElements[n.DataAtom] {
			t.newline(true)
		}
	})
	if p.published == "" {
		p.published = timeDate
	}
	return strings.TrimSpace(t.b.String()), p, nil
}

// pageMeta reads the title, date, canonical URL and site name of a page.
func pageMeta(root *html.Node) page {
	var p page
	var h1 string
	walkTree(root, func(n *html.Node) bool {
		if n.Type != html.ElementNode || n.Namespace != "" {
			return n.Type == html.DocumentNode
		}
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Template:
			return false
		case atom.Title:
			if p.title == "" {
				p.title = innerText(n)
			}
			return false
		case atom.H1:
			if h1 == "" {
				h1 = innerText(n)
			}
			return false
		case atom.Meta:
			content := strings.TrimSpace(attr(n, "content"))
			switch strings.ToLower(attr(n, "property")) {
			case "article:published_time":
				if p.published == "" {
					p.published = normaliseDate(content)
				}
			case "og:site_name":
				if p.outlet == "" {
					p.outlet = content
				}
			}
		case atom.Link:
			rel := strings.Fields(strings.ToLower(attr(n, "rel")))
			if p.url == "" && contains(rel, "canonical") {
				p.url = strings.TrimSpace(attr(n, "href"))
			}
		}
		return true
	}, nil)
	if p.title == "" {
		p.title = h1
	}
	return p
}

// skipElement tells whether an element holds nothing a reader reads.
func skipElement(n *html.Node) bool {
	if n.Namespace != "" { // svg, math
		return true
	}
	switch n.DataAtom {
	case atom.Head, atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Nav,
		atom.Iframe, atom.Object, atom.Embed, atom.Canvas, atom.Audio, atom.Video,
		atom.Button, atom.Select, atom.Textarea:
		return true
	}
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == "hidden" {
			return true
		}
	}
	return false
}

// blockElements end a line before and after them.
var blockElements = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Body: true, atom.Caption: true, atom.Dd: true, atom.Details: true,
	atom.Dialog: true, atom.Div: true, atom.Dl: true, atom.Dt: true,
	atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true, atom.Footer: true,
	atom.Form: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Header: true, atom.Hgroup: true, atom.Hr: true,
	atom.Legend: true, atom.Li: true, atom.Main: true, atom.Ol: true, atom.P: true,
	atom.Pre: true, atom.Section: true, atom.Summary: true, atom.Table: true,
	atom.Tr: true, atom.Ul: true,
}

// textBuilder collects text, collapsing white space outside <pre>.
type textBuilder struct {
	b        strings.Builder
	space    bool // a space is due before the next text
	newlines int  // line ends due before the next text
	pre      int  // depth of <pre> elements
}

func (t *textBuilder) text(s string) {
	if t.pre > 0 {
		t.flush()
		t.b.WriteString(s)
		return
	}
	for _, r := range s {
		if unicode.IsSpace(r) { // includes the no-break space of &nbsp;
			t.space = true
			continue
		}
		t.flush()
		t.b.WriteRune(r)
	}
}

// newline ends the line; for a block one line end is enough, for <br>
// each one counts, up to an empty line.
func (t *textBuilder) newline(block bool) {
	switch {
	case block:
		t.newlines = max(t.newlines, 1)
	case t.newlines < 2:
		t.newlines++
	}
}

func (t *textBuilder) flush() {
	switch {
	case t.b.Len() == 0: // nothing to separate from
	case t.newlines > 0:
		t.b.WriteString(strings.Repeat("\n", t.newlines))
	case t.space:
		t.b.WriteByte(' ')
	}
	t.space, t.newlines = false, 0
}

// innerText returns the text inside n, white space collapsed.
func innerText(n *html.Node) string {
	var t textBuilder
	walkTree(n, func(c *html.Node) bool {
		if c.Type == html.TextNode {
			t.text(c.Data)
		}
		return true
	}, nil)
	return t.b.String()
}

// walkTree visits the tree under root in document order. enter(n) is
// called on each node; if it returns true, n's children are visited, then
// leave(n) is called (when leave is not nil); if false, n's subtree is
// skipped. It loops rather than recurses: a hostile page may nest deeply.
func walkTree(root *html.Node, enter func(*html.Node) bool, leave func(*html.Node)) {
	n := root
	for {
		entered := enter(n)
		if entered && n.FirstChild != nil {
			n = n.FirstChild
			continue
		}
		if entered && leave != nil {
			leave(n)
		}
		for n != root && n.NextSibling == nil {
			n = n.Parent
			if leave != nil {
				leave(n)
			}
		}
		if n == root {
			return
		}
		n = n.NextSibling
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
