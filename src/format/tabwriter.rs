//! Column alignment with the behaviour of Go's `text/tabwriter` (the Docker CLI's fork of it,
//! which measures cells in terminal columns), the layout of every `docker ... ls` table.
//!
//! Input is text whose cells are *terminated* by `\t` (or a soft `\v`); `\n` ends a line and
//! `\f` ends a line and every open column. A column is the block of consecutive lines that all
//! have a tab-terminated cell at that index; the last cell of a line is not part of any column
//! and is written as is. A column's width is the widest cell in its block plus `padding`, but
//! at least `minwidth`. Everything is buffered until [`TabWriter::flush`] (or until a line
//! without any tab, which cannot affect later lines), because a line's layout depends on the
//! lines after it. The `FilterHTML`/escape/alignment flags of Go's package are not provided:
//! Docker uses none of them.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    /// Bytes of text in `buf`.
    size: usize,
    /// Display width in terminal columns.
    width: usize,
    /// Terminated by a hard tab (`\t`) rather than `\v` or a line end.
    htab: bool,
}

/// A Go-`tabwriter`-compatible aligning writer over any `Write`.
pub struct TabWriter<W: Write> {
    out: W,
    minwidth: usize,
    tabwidth: usize,
    padding: usize,
    padchar: u8,
    /// Text of all buffered cells, separators removed.
    buf: Vec<u8>,
    /// The incomplete cell at the end of `buf`.
    cell: Cell,
    lines: Vec<Vec<Cell>>,
    /// Widths of the enclosing columns while formatting.
    widths: Vec<usize>,
}

impl<W: Write> TabWriter<W> {
    /// Docker's table parameters: `tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)`.
    pub fn new(out: W) -> Self {
        Self::with_params(out, 10, 1, 3, b' ')
    }

    /// Go's `NewWriter(out, minwidth, tabwidth, padding, padchar, 0)`. With `padchar == b'\t'`
    /// padding is written as tabs, assuming a tab is `tabwidth` columns wide.
    pub fn with_params(
        out: W,
        minwidth: usize,
        tabwidth: usize,
        padding: usize,
        padchar: u8,
    ) -> Self {
        TabWriter {
            out,
            minwidth,
            tabwidth,
            padding,
            padchar,
            buf: Vec::new(),
            cell: Cell::default(),
            lines: vec![Vec::new()],
            widths: Vec::new(),
        }
    }

    /// The underlying writer (call [`TabWriter::flush`] first).
    #[cfg(test)]
    pub fn into_inner(self) -> W {
        self.out
    }

    fn reset(&mut self) {
        self.buf.clear();
        self.cell = Cell::default();
        self.lines.clear();
        self.lines.push(Vec::new());
        self.widths.clear();
    }

    /// Ends the current cell and returns how many cells its line now has.
    fn terminate_cell(&mut self, htab: bool) -> usize {
        let start = self.buf.len() - self.cell.size;
        self.cell.width = String::from_utf8_lossy(&self.buf[start..]).width();
        self.cell.htab = htab;
        let line = self.lines.last_mut().expect("tabwriter always has a line");
        line.push(self.cell);
        self.cell = Cell::default();
        line.len()
    }

    fn write_padding(&mut self, textw: usize, cellw: usize) -> io::Result<()> {
        if self.padchar == b'\t' {
            if self.tabwidth == 0 {
                return Ok(()); // tabs have no width: no padding possible
            }
            let cellw = cellw.div_ceil(self.tabwidth) * self.tabwidth;
            let n = cellw.saturating_sub(textw);
            let tabs = n.div_ceil(self.tabwidth);
            return self.out.write_all(&vec![b'\t'; tabs]);
        }
        let n = cellw.saturating_sub(textw);
        self.out.write_all(&vec![self.padchar; n])
    }

    fn write_lines(&mut self, mut pos: usize, line0: usize, line1: usize) -> io::Result<usize> {
        for i in line0..line1 {
            for j in 0..self.lines[i].len() {
                let c = self.lines[i][j];
                if c.size > 0 {
                    self.out.write_all(&self.buf[pos..pos + c.size])?;
                    pos += c.size;
                }
                if j < self.widths.len() {
                    let w = self.widths[j];
                    self.write_padding(c.width, w)?;
                }
            }
            if i + 1 == self.lines.len() {
                // The last buffered line has no newline yet: write the incomplete cell.
                self.out.write_all(&self.buf[pos..pos + self.cell.size])?;
                pos += self.cell.size;
            } else {
                self.out.write_all(b"\n")?;
            }
        }
        Ok(pos)
    }

    /// Formats lines `line0..line1`, `pos` being the offset in `buf` where `line0` starts;
    /// returns the offset where `line1` starts. A direct port of Go's recursive `format`.
    fn format(&mut self, mut pos: usize, mut line0: usize, line1: usize) -> io::Result<usize> {
        let column = self.widths.len();
        let mut this = line0;
        while this < line1 {
            if column + 1 >= self.lines[this].len() {
                this += 1;
                continue;
            }
            // This line has a cell in this column: a column block starts here.
            pos = self.write_lines(pos, line0, this)?;
            line0 = this;
            let mut width = self.minwidth;
            while this < line1 {
                let line = &self.lines[this];
                if column + 1 >= line.len() {
                    break;
                }
                width = width.max(line[column].width + self.padding);
                this += 1;
            }
            self.widths.push(width);
            pos = self.format(pos, line0, this)?;
            self.widths.pop();
            line0 = this;
            // Go's loop increments past the line that ended the block; that line has no cell
            // in this column, so it cannot start a block either.
            this += 1;
        }
        self.write_lines(pos, line0, line1)
    }

    fn flush_internal(&mut self) -> io::Result<()> {
        if self.cell.size > 0 {
            self.terminate_cell(false);
        }
        let n = self.lines.len();
        let result = self.format(0, 0, n);
        self.reset();
        result.map(|_| ())
    }
}

impl<W: Write> Write for TabWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let mut start = 0;
        for (i, &ch) in data.iter().enumerate() {
            if matches!(ch, b'\t' | 0x0b | b'\n' | 0x0c) {
                self.buf.extend_from_slice(&data[start..i]);
                self.cell.size += i - start;
                start = i + 1;
                let ncells = self.terminate_cell(ch == b'\t');
                if ch == b'\n' || ch == 0x0c {
                    self.lines.push(Vec::new());
                    if ch == 0x0c || ncells == 1 {
                        // A line with a single cell cannot affect the layout of later lines.
                        self.flush_internal()?;
                    }
                }
            }
        }
        self.buf.extend_from_slice(&data[start..]);
        self.cell.size += data.len() - start;
        Ok(data.len())
    }

    /// Writes out everything buffered, aligned, and flushes the underlying writer.
    fn flush(&mut self) -> io::Result<()> {
        self.flush_internal()?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docker(input: &str) -> String {
        let mut tw = TabWriter::new(Vec::new());
        tw.write_all(input.as_bytes()).unwrap();
        tw.flush().unwrap();
        String::from_utf8(tw.into_inner()).unwrap()
    }

    fn go(input: &str, minwidth: usize, padding: usize) -> String {
        let mut tw = TabWriter::with_params(Vec::new(), minwidth, 8, padding, b' ');
        tw.write_all(input.as_bytes()).unwrap();
        tw.flush().unwrap();
        String::from_utf8(tw.into_inner()).unwrap()
    }

    #[test]
    fn docker_table_widths() {
        // col 0: max(10, 3+3, 1+3) = 10; col 1: max(10, 13+3) = 16; last cells unpadded.
        let out = docker("aaa\tb\tc\na\tbbbbbbbbbbbbb\tc\n");
        assert_eq!(
            out,
            "aaa       b               c\n\
             a         bbbbbbbbbbbbb   c\n"
        );
    }

    #[test]
    fn docker_ps_like_header() {
        let out = docker("CONTAINER ID\tIMAGE\tNAMES\n0123456789ab\tnginx:latest\tweb\n");
        assert_eq!(
            out,
            "CONTAINER ID   IMAGE          NAMES\n\
             0123456789ab   nginx:latest   web\n"
        );
    }

    #[test]
    fn blocks_with_differing_cell_counts() {
        // Go's package doc example: b and c are in different column blocks, d and e in none.
        let out = go("aaaa\tbbb\td\naa\tb\tdd\na\t\naa\tcccc\teee\n", 0, 1);
        assert_eq!(out, "aaaa bbb d\naa   b   dd\na    \naa   cccc eee\n");
    }

    #[test]
    fn a_line_without_tabs_ends_all_columns() {
        let out = go("a\tb\nheading\nlonger\tc\n", 0, 1);
        assert_eq!(out, "a b\nheading\nlonger c\n");
    }

    #[test]
    fn empty_cells_are_padded() {
        let out = go("\tx\tend\nlong\t\tend\n", 0, 2);
        // col 0: max(0, 4+2) = 6; col 1: max(1+2, 0+2) = 3.
        assert_eq!(out, "      x  end\nlong     end\n");
    }

    #[test]
    fn minwidth_applies_and_trailing_text_without_newline_is_kept() {
        let out = go("a\tb", 5, 1);
        assert_eq!(out, "a    b");
    }

    #[test]
    fn writes_split_across_calls_and_unicode_width() {
        let mut tw = TabWriter::with_params(Vec::new(), 0, 8, 1, b' ');
        tw.write_all("日本".as_bytes()).unwrap();
        tw.write_all("\tx\nab".as_bytes()).unwrap();
        tw.write_all(b"\ty\n").unwrap();
        tw.flush().unwrap();
        let out = String::from_utf8(tw.into_inner()).unwrap();
        // "日本" is four columns wide: width 5.
        assert_eq!(out, "日本 x\nab   y\n");
    }

    #[test]
    fn formfeed_flushes_columns() {
        let out = go("aaaa\tb\n\x0cc\td\n", 0, 1);
        assert_eq!(out, "aaaa b\n\nc d\n");
    }

    #[test]
    fn tab_padding() {
        let mut tw = TabWriter::with_params(Vec::new(), 0, 8, 1, b'\t');
        tw.write_all(b"a\tb\nabcdefghi\tc\n").unwrap();
        tw.flush().unwrap();
        let out = String::from_utf8(tw.into_inner()).unwrap();
        // width = 9 + 1 = 10 -> rounded to 16: "a" gets 2 tabs, the 9-char cell 1 tab.
        assert_eq!(out, "a\t\tb\nabcdefghi\tc\n");
    }
}
