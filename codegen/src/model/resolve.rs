//! Name resolution (being written).
