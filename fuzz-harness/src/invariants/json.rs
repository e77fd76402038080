//! What every JSON answer must satisfy.

use serde_json::Value;

/// Asserts that no string of `value` is a date or instant outside RFC 3339's four-digit
/// years (`"+10000-01-31T00:00:00Z"`, `"-0001-12-31"`), which hosts cannot parse.
///
/// # Panics
/// On the first such string.
pub fn check_json_instants(value: &Value, context: &str) {
    match value {
        Value::String(s) => assert!(
            !is_expanded_year(s),
            "{context}: {s:?} is not an RFC 3339 date (year outside 0000–9999)"
        ),
        Value::Array(a) => a.iter().for_each(|v| check_json_instants(v, context)),
        Value::Object(m) => m
            .iter()
            .filter(|(k, _)| !is_host_text(k))
            .for_each(|(_, v)| check_json_instants(v, context)),
        _ => {}
    }
}

/// Keys whose values are the host's own text, echoed as given (a rulebook's version, ids,
/// codes, names, descriptions) or an error's words: any string may be there.
fn is_host_text(key: &str) -> bool {
    matches!(
        key,
        "rulebook_version"
            | "version"
            | "id"
            | "code"
            | "name"
            | "description"
            | "benefit"
            | "message"
            | "reason"
            | "reference"
            | "source"
            | "fare_basis"
    ) || key.ends_with("_id")
        || key.ends_with("_ids")
}

/// `±YYYY…-MM…`: a sign, four or more digits, then a `-` and two digits.
fn is_expanded_year(s: &str) -> bool {
    let Some(rest) = s.strip_prefix(['+', '-']) else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let after = rest.as_bytes().get(digits..).unwrap_or_default();
    digits >= 4
        && after.first() == Some(&b'-')
        && after
            .get(1..3)
            .is_some_and(|m| m.iter().all(u8::is_ascii_digit))
}

#[cfg(test)]
mod tests {
    use super::is_expanded_year;

    #[test]
    fn expanded_years_are_told_from_amounts() {
        assert!(is_expanded_year("+10000-01-31T00:00:00Z"));
        assert!(is_expanded_year("-0001-12-31"));
        assert!(!is_expanded_year("-12345.00"));
        assert!(!is_expanded_year("2026-11-22T09:30:00Z"));
        assert!(!is_expanded_year("-1"));
    }

    #[test]
    fn the_hosts_own_text_is_not_read_as_a_date() {
        use super::check_json_instants;
        let v = serde_json::json!({"rulebook_version": "-1448-48", "lines": [{"id": "-2026-01-01"}],
            "customer_id": "+10000-01-01"});
        check_json_instants(&v, "quote");
    }
}
