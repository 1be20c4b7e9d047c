//! Typed value columns: each property keeps the type the file declares (a `uchar` colour costs
//! one byte, not eight), and hands values out as `f64` when asked.

use super::ScalarType;
use std::ops::Range;

/// The values of one scalar property, or all items of one list property, in the declared type.
#[derive(Clone, Debug, PartialEq)]
pub enum ScalarColumn {
    /// `char` values.
    I8(Vec<i8>),
    /// `uchar` values.
    U8(Vec<u8>),
    /// `short` values.
    I16(Vec<i16>),
    /// `ushort` values.
    U16(Vec<u16>),
    /// `int` values.
    I32(Vec<i32>),
    /// `uint` values.
    U32(Vec<u32>),
    /// `float` values.
    F32(Vec<f32>),
    /// `double` values.
    F64(Vec<f64>),
}

/// Runs `$body` with `$v` bound to the column's vector, whatever its type.
macro_rules! each {
    ($column:expr, $v:ident => $body:expr) => {
        match $column {
            ScalarColumn::I8($v) => $body,
            ScalarColumn::U8($v) => $body,
            ScalarColumn::I16($v) => $body,
            ScalarColumn::U16($v) => $body,
            ScalarColumn::I32($v) => $body,
            ScalarColumn::U32($v) => $body,
            ScalarColumn::F32($v) => $body,
            ScalarColumn::F64($v) => $body,
        }
    };
}
pub(super) use each;

// `each!` instantiates every cast for `f64` columns too, where it is the identity.
#[allow(clippy::unnecessary_cast)]
impl ScalarColumn {
    /// An empty column of type `ty` with room for `capacity` values.
    pub fn with_capacity(ty: ScalarType, capacity: usize) -> Self {
        match ty {
            ScalarType::I8 => Self::I8(Vec::with_capacity(capacity)),
            ScalarType::U8 => Self::U8(Vec::with_capacity(capacity)),
            ScalarType::I16 => Self::I16(Vec::with_capacity(capacity)),
            ScalarType::U16 => Self::U16(Vec::with_capacity(capacity)),
            ScalarType::I32 => Self::I32(Vec::with_capacity(capacity)),
            ScalarType::U32 => Self::U32(Vec::with_capacity(capacity)),
            ScalarType::F32 => Self::F32(Vec::with_capacity(capacity)),
            ScalarType::F64 => Self::F64(Vec::with_capacity(capacity)),
        }
    }

    /// The values' type.
    pub fn scalar_type(&self) -> ScalarType {
        match self {
            Self::I8(_) => ScalarType::I8,
            Self::U8(_) => ScalarType::U8,
            Self::I16(_) => ScalarType::I16,
            Self::U16(_) => ScalarType::U16,
            Self::I32(_) => ScalarType::I32,
            Self::U32(_) => ScalarType::U32,
            Self::F32(_) => ScalarType::F32,
            Self::F64(_) => ScalarType::F64,
        }
    }

    /// The number of values.
    pub fn len(&self) -> usize {
        each!(self, v => v.len())
    }

    /// Whether the column is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Value `i` as `f64` (exact for every PLY type).
    #[inline]
    pub fn get(&self, i: usize) -> Option<f64> {
        each!(self, v => v.get(i).map(|&x| x as f64))
    }

    /// All values as `f64`, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = f64> + '_ {
        (0..self.len()).map(|i| self.get(i).unwrap_or_default())
    }

    /// The values of `range` as `f64` (empty when out of bounds).
    pub fn to_f64_range(&self, range: Range<usize>) -> Vec<f64> {
        each!(self, v => v.get(range).unwrap_or_default().iter().map(|&x| x as f64).collect())
    }

    /// All values as `f64`.
    pub fn to_f64(&self) -> Vec<f64> {
        self.to_f64_range(0..self.len())
    }

    /// The values as `f32` when the column is `float`, for zero-cost access.
    pub fn as_f32(&self) -> Option<&[f32]> {
        match self {
            Self::F32(v) => Some(v),
            _ => None,
        }
    }

    /// Appends `value` converted with `as` (saturating); callers check the range first.
    pub(super) fn push_f64(&mut self, value: f64) {
        each!(self, v => v.push(value as _));
    }

    /// A column of type `ty` holding `values` converted with `as` (saturating).
    pub fn from_f64(ty: ScalarType, values: impl IntoIterator<Item = f64>) -> Self {
        let values = values.into_iter();
        let mut column = Self::with_capacity(ty, values.size_hint().0);
        for value in values {
            column.push_f64(value);
        }
        column
    }
}

/// The values of one property across all elements of a kind.
#[derive(Clone, Debug, PartialEq)]
pub enum PropertyData {
    /// One value per element.
    Scalar(ScalarColumn),
    /// Lists flattened: element `i` holds items `offsets[i]..offsets[i + 1]` of `values`.
    List {
        /// `count + 1` offsets into `values`, starting at 0.
        offsets: Vec<usize>,
        /// All items, element after element.
        values: ScalarColumn,
    },
}

impl PropertyData {
    /// An empty column for a property of `kind`, with room for `rows` elements and
    /// `list_items` list items.
    pub(super) fn with_capacity(kind: super::PropertyKind, rows: usize, list_items: usize) -> Self {
        match kind {
            super::PropertyKind::Scalar(ty) => Self::Scalar(ScalarColumn::with_capacity(ty, rows)),
            super::PropertyKind::List { item, .. } => {
                let mut offsets = Vec::with_capacity(rows.saturating_add(1));
                offsets.push(0);
                Self::List {
                    offsets,
                    values: ScalarColumn::with_capacity(item, list_items),
                }
            }
        }
    }

    /// The item range of list `i`, when this is a list property and `i` is in range.
    #[inline]
    pub fn list_range(&self, i: usize) -> Option<Range<usize>> {
        match self {
            Self::Scalar(_) => None,
            Self::List { offsets, .. } => Some(*offsets.get(i)?..*offsets.get(i + 1)?),
        }
    }

    /// List `i` as `f64` values, when this is a list property and `i` is in range.
    pub fn list(&self, i: usize) -> Option<Vec<f64>> {
        match self {
            Self::Scalar(_) => None,
            Self::List { values, .. } => Some(values.to_f64_range(self.list_range(i)?)),
        }
    }

    /// The number of elements this column holds.
    pub fn rows(&self) -> usize {
        match self {
            Self::Scalar(values) => values.len(),
            Self::List { offsets, .. } => offsets.len().saturating_sub(1),
        }
    }
}
