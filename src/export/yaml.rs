//! A small YAML writer for the index config: block mappings and sequences,
//! flow sequences of scalars, and strings plain when YAML reads them back
//! as the same string, else double-quoted (a JSON string is a valid YAML
//! double-quoted scalar). Written here rather than taken from a crate: the
//! config is a few dozen keys of one known shape, and the well-known serde
//! YAML crate is deprecated.

use serde_json::Value;

/// `value` (an object) as a YAML document.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::from(
        "# Written by opedex export: quickwit index create --index-config this-file\n",
    );
    block(&mut out, value, 0);
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// A mapping or sequence at `level` spaces, each entry on its own line.
fn block(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Object(map) => {
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 || !out.ends_with("- ") {
                    indent(out, level);
                }
                out.push_str(&scalar_str(k));
                out.push(':');
                entry(out, v, level);
            }
        }
        Value::Array(items) => {
            for item in items {
                indent(out, level);
                out.push_str("- ");
                match item {
                    Value::Object(m) if !m.is_empty() => block(out, item, level + 2),
                    other => {
                        out.push_str(&inline(other));
                        out.push('\n');
                    }
                }
            }
        }
        other => {
            indent(out, level);
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
}

/// What follows `key:`.
fn entry(out: &mut String, v: &Value, level: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            block(out, v, level + 2);
        }
        Value::Array(a) if a.iter().any(|x| x.is_object() || x.is_array()) => {
            out.push('\n');
            block(out, v, level + 2);
        }
        other => {
            out.push(' ');
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
}

/// A scalar, an empty mapping or a sequence of scalars on one line.
fn inline(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar_str(s),
        Value::Array(a) => format!("[{}]", a.iter().map(inline).collect::<Vec<_>>().join(", ")),
        Value::Object(_) => "{}".into(),
    }
}

/// A string plain when it is a word YAML reads back as that string, else
/// double-quoted.
fn scalar_str(s: &str) -> String {
    let plain = s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '<' | '>'))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "nan" | "inf"
        );
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_blocks_sequences_and_quotes_what_needs_it() {
        let v = json!({
            "version": "0.8",
            "doc": {"mode": "strict", "fields": [{"name": "a", "fast": true}, {"name": "no"}], "tags": ["lang"]},
            "empty": [],
            "odd": "a: b"
        });
        let y = to_yaml(&v);
        let expected = "\
doc:
  fields:
    - fast: true
      name: a
    - name: \"no\"
  mode: strict
  tags: [lang]
empty: []
odd: \"a: b\"
version: \"0.8\"
";
        assert!(y.ends_with(expected), "{y}");
    }
}
