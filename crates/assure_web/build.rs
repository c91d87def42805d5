//! Fails early, with the command to run, when the front-end assets have not been built.
fn main() {
    for file in ["assure.css", "govuk-frontend.min.js", "init.js"] {
        let path = std::path::Path::new("assets/dist").join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        if !path.exists() {
            panic!(
                "{} is missing: build the front-end assets first with `npm ci && npm run build` \
                 (scripts/demo and scripts/test do this for you)",
                path.display()
            );
        }
    }
    println!("cargo:rerun-if-changed=templates");
}
