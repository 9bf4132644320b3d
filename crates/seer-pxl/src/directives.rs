//! `#px:set key=value` comment directives (Pixie's query broker reads them from the script text).

use std::collections::BTreeMap;

use ruff_text_size::{TextRange, TextSize};

use crate::error::{DResult, Diag, ErrorKind};

/// The directive that caps the rows of every output table.
pub(crate) const MAX_OUTPUT_ROWS: &str = "max_output_rows_per_table";

const PREFIX: &str = "#px:set";

/// Every `key=value` pair of every `#px:set` line, in source order (later lines win).
pub(crate) fn parse(source: &str) -> DResult<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    let mut line_start = 0;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed
            .strip_prefix(PREFIX)
            .filter(|r| r.is_empty() || r.starts_with(char::is_whitespace))
        {
            let mut offset = line_start + (line.len() - trimmed.len()) + PREFIX.len();
            for word in rest.split_inclusive(char::is_whitespace) {
                let pair = word.trim_end();
                if !pair.is_empty() {
                    let Some((key, value)) = pair.split_once('=') else {
                        let at = range_at(offset);
                        return Err(Diag::new(
                            ErrorKind::Directive,
                            at,
                            format!("malformed directive '{pair}': expected key=value"),
                        ));
                    };
                    out.insert(key.to_string(), value.to_string());
                }
                offset += word.len();
            }
        }
        line_start += line.len();
    }
    Ok(out)
}

/// The row cap: the directive's value if present, else `default`. Errors point at the directive.
pub(crate) fn max_output_rows(source: &str, directives: &BTreeMap<String, String>, default: usize) -> DResult<usize> {
    let Some(value) = directives.get(MAX_OUTPUT_ROWS) else {
        return Ok(default);
    };
    value.parse::<usize>().map_err(|_| {
        let at = source
            .find(&format!("{MAX_OUTPUT_ROWS}={value}"))
            .map_or(TextRange::default(), range_at);
        Diag::new(
            ErrorKind::Directive,
            at,
            format!("{MAX_OUTPUT_ROWS} must be a non-negative integer, got '{value}'"),
        )
    })
}

fn range_at(offset: usize) -> TextRange {
    let at = TextSize::new(u32::try_from(offset).unwrap_or(u32::MAX));
    TextRange::empty(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pairs_from_comment_lines() -> DResult<()> {
        let src =
            "import px\n#px:set max_output_rows_per_table=5 explain=true\n  #px:set analyze=1\n# not px:set a=b\n";
        let d = parse(src)?;
        assert_eq!(d.len(), 3);
        assert_eq!(d["explain"], "true");
        assert_eq!(max_output_rows(src, &d, 10)?, 5);
        Ok(())
    }

    #[test]
    fn default_when_absent() -> DResult<()> {
        assert_eq!(max_output_rows("x = 1", &parse("x = 1")?, 10)?, 10);
        Ok(())
    }

    #[test]
    fn bad_values_point_at_the_directive() {
        let src = "import px\n#px:set max_output_rows_per_table=lots\n";
        let d = parse(src).unwrap_or_default();
        let err = max_output_rows(src, &d, 10).err();
        assert_eq!(err.and_then(|e| e.at), Some(TextSize::new(18)));
        let err = parse("#px:set oops\n").err();
        assert_eq!(err.and_then(|e| e.at), Some(TextSize::new(8)));
    }
}
