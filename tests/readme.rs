//! The README's configuration table is generated from the settings' definitions; this test
//! keeps it current. `USHER_BLESS=1 cargo test --test readme` rewrites it.

const START: &str = "<!-- config-table:start -->\n";
const END: &str = "<!-- config-table:end -->";

#[test]
fn readme_configuration_table_matches_the_settings() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let start = readme.find(START).expect("start marker") + START.len();
    let end = readme.find(END).expect("end marker");
    let table = usher::cli::config_table();
    if std::env::var_os("USHER_BLESS").is_some() {
        let updated = format!("{}{}{}", &readme[..start], table, &readme[end..]);
        std::fs::write(path, updated).unwrap();
        return;
    }
    assert_eq!(
        readme[start..end].trim(),
        table.trim(),
        "README configuration table is stale: run `USHER_BLESS=1 cargo test --test readme`"
    );
}

#[test]
fn readme_names_the_two_commands() {
    let readme = include_str!("../README.md");
    let makefile = include_str!("../Makefile");
    for target in ["run", "test"] {
        assert!(
            readme.contains(&format!("make {target}")),
            "README lacks `make {target}`"
        );
        assert!(
            makefile.contains(&format!("\n{target}:")),
            "Makefile lacks `{target}`"
        );
    }
}
