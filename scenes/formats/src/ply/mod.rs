//! A hand-written PLY (Stanford polygon file) reader and writer.
//!
//! Why not the `ply-rs` crate: it builds a `HashMap` per element and a `String` key per
//! property, which is far too slow for loading a 100k-vertex scan within the 50 ms budget of a
//! scene load, and its errors do not say which element and index is at fault. This reader parses
//! from one byte slice into typed columns (one vector per scalar property in its declared type,
//! offsets + items per list property), decodes binary data column by column, preallocates only
//! what the bytes actually present can hold, and never panics.
//!
//! Supported: `ascii`, `binary_little_endian` and `binary_big_endian` formats; every PLY scalar
//! type (`char uchar short ushort int uint float double` and the `int8 … float64` aliases); list
//! properties with any integer count type and any item type; `comment` and `obj_info` lines;
//! any number of elements, known or not (all are read, so unknown ones are skipped correctly).
//! ASCII bodies are line based: one element per line, blank lines ignored.

mod ascii;
mod binary;
mod column;
mod header;
mod read;
mod write;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use column::{PropertyData, ScalarColumn};
pub use header::parse_header;
pub use read::parse_ply_bytes;
pub use write::write_ply_bytes;

/// How the body of a PLY file is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PlyEncoding {
    /// `format ascii 1.0`: whitespace-separated text, one element per line.
    Ascii,
    /// `format binary_little_endian 1.0`.
    BinaryLittleEndian,
    /// `format binary_big_endian 1.0`.
    BinaryBigEndian,
}

impl PlyEncoding {
    /// The name used on the header's `format` line.
    pub fn header_name(self) -> &'static str {
        match self {
            Self::Ascii => "ascii",
            Self::BinaryLittleEndian => "binary_little_endian",
            Self::BinaryBigEndian => "binary_big_endian",
        }
    }
}

/// A PLY scalar type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarType {
    /// `char` / `int8`.
    I8,
    /// `uchar` / `uint8`.
    U8,
    /// `short` / `int16`.
    I16,
    /// `ushort` / `uint16`.
    U16,
    /// `int` / `int32`.
    I32,
    /// `uint` / `uint32`.
    U32,
    /// `float` / `float32`.
    F32,
    /// `double` / `float64`.
    F64,
}

impl ScalarType {
    /// Parses a type name as it appears on a `property` line (either spelling).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "char" | "int8" => Self::I8,
            "uchar" | "uint8" => Self::U8,
            "short" | "int16" => Self::I16,
            "ushort" | "uint16" => Self::U16,
            "int" | "int32" => Self::I32,
            "uint" | "uint32" => Self::U32,
            "float" | "float32" => Self::F32,
            "double" | "float64" => Self::F64,
            _ => return None,
        })
    }

    /// The classic name of this type (`uchar`, `float`, …).
    pub fn name(self) -> &'static str {
        match self {
            Self::I8 => "char",
            Self::U8 => "uchar",
            Self::I16 => "short",
            Self::U16 => "ushort",
            Self::I32 => "int",
            Self::U32 => "uint",
            Self::F32 => "float",
            Self::F64 => "double",
        }
    }

    /// Size in bytes in a binary body.
    pub fn size(self) -> usize {
        match self {
            Self::I8 | Self::U8 => 1,
            Self::I16 | Self::U16 => 2,
            Self::I32 | Self::U32 | Self::F32 => 4,
            Self::F64 => 8,
        }
    }

    /// Whether this is `float` or `double`.
    pub fn is_float(self) -> bool {
        matches!(self, Self::F32 | Self::F64)
    }

    /// The range of values an integer type holds (`None` for floating-point types).
    pub fn int_range(self) -> Option<(i64, i64)> {
        Some(match self {
            Self::I8 => (i8::MIN.into(), i8::MAX.into()),
            Self::U8 => (0, u8::MAX.into()),
            Self::I16 => (i16::MIN.into(), i16::MAX.into()),
            Self::U16 => (0, u16::MAX.into()),
            Self::I32 => (i32::MIN.into(), i32::MAX.into()),
            Self::U32 => (0, u32::MAX.into()),
            Self::F32 | Self::F64 => return None,
        })
    }
}

/// The type of a property: one scalar, or a list with a count type and an item type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PropertyKind {
    /// `property <type> <name>`.
    Scalar(ScalarType),
    /// `property list <count type> <item type> <name>`; the count type is an integer type.
    List {
        /// Type of the per-element item count.
        count: ScalarType,
        /// Type of each item.
        item: ScalarType,
    },
}

/// One `property` line of the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PropertyDef {
    /// The property's name.
    pub name: String,
    /// Its type.
    pub kind: PropertyKind,
}

/// One `element` line of the header with its properties.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElementDef {
    /// The element's name (`vertex`, `face`, …).
    pub name: String,
    /// How many elements the body holds, as the header declares.
    pub count: u64,
    /// The properties, in file order.
    pub properties: Vec<PropertyDef>,
}

/// A parsed PLY header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlyHeader {
    /// The body encoding.
    pub encoding: PlyEncoding,
    /// `comment` lines, without the keyword, in file order.
    pub comments: Vec<String>,
    /// `obj_info` lines, without the keyword, in file order.
    pub obj_info: Vec<String>,
    /// The elements, in file order.
    pub elements: Vec<ElementDef>,
}

/// All values of one element kind, one column per property (aligned with `def.properties`).
#[derive(Clone, Debug, PartialEq)]
pub struct ElementData {
    /// The element's header definition.
    pub def: ElementDef,
    /// One column per property, in the order of `def.properties`.
    pub columns: Vec<PropertyData>,
}

impl ElementData {
    /// The number of elements read.
    pub fn len(&self) -> usize {
        usize::try_from(self.def.count).unwrap_or(usize::MAX)
    }

    /// Whether there are no elements of this kind.
    pub fn is_empty(&self) -> bool {
        self.def.count == 0
    }

    /// The column and type of the property `name`, if present.
    pub fn property(&self, name: &str) -> Option<(&PropertyData, PropertyKind)> {
        let at = self.def.properties.iter().position(|p| p.name == name)?;
        Some((self.columns.get(at)?, self.def.properties[at].kind))
    }

    /// The values of the scalar property `name`, if present and scalar.
    pub fn scalar(&self, name: &str) -> Option<&ScalarColumn> {
        match self.property(name)? {
            (PropertyData::Scalar(values), _) => Some(values),
            _ => None,
        }
    }
}

/// A whole PLY file: header plus every element's columns.
#[derive(Clone, Debug, PartialEq)]
pub struct Ply {
    /// The header (encoding, comments, element definitions).
    pub header: PlyHeader,
    /// The data of every element, in header order.
    pub elements: Vec<ElementData>,
}

impl Ply {
    /// The first element called `name`, if any.
    pub fn element(&self, name: &str) -> Option<&ElementData> {
        self.elements.iter().find(|e| e.def.name == name)
    }
}
