//! The binary Trunk builds: it only mounts the app from the library.

fn main() {
    authpath::start();
}
