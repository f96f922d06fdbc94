//! EDMX / CSDL XML reader (being written).
