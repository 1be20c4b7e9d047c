//! First-person RGB and depth by voxel ray casting on the CPU.
//!
//! Each pixel's ray walks the block grid cell by cell ([`cast_ray`]'s DDA) until it meets a
//! block, a creature's box or the view distance. The hit's block type, face, cell and distance
//! give a flat, Minecraft-like colour: per-face shading, a little per-cell variation, ore
//! specks, daylight and fog towards the sky.

use crate::block::Block;
use crate::world::World;
use glam::{IVec3, Vec3};

/// How far rays go; colours fade into the sky towards it.
pub const VIEW_DISTANCE_M: f32 = 32.0;
/// Where fog starts, as a fraction of [`VIEW_DISTANCE_M`].
const FOG_START: f32 = 0.5;
/// Underwater, colours fade into the water's colour over this distance.
const UNDERWATER_FOG_M: f32 = 8.0;

/// A pinhole camera: where the eye is and where it looks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    /// The eye, in world metres.
    pub eye_m: Vec3,
    /// Heading in degrees clockwise from north (+y): 0 looks +y, 90 looks +x.
    pub yaw_deg: f32,
    /// Degrees up from horizontal.
    pub pitch_deg: f32,
    /// Horizontal field of view in degrees, within 1..179 (the vertical one follows from the
    /// aspect).
    pub hfov_deg: f32,
}

impl Camera {
    /// The unit forward, right and up vectors.
    fn basis(&self) -> (Vec3, Vec3, Vec3) {
        let (sy, cy) = self.yaw_deg.to_radians().sin_cos();
        let (sp, cp) = self.pitch_deg.to_radians().sin_cos();
        let forward = Vec3::new(sy * cp, cy * cp, sp);
        let right = Vec3::new(cy, -sy, 0.0);
        (forward, right, right.cross(forward))
    }
}

/// A creature, drawn as an axis-aligned box of one colour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Body {
    /// The box's lower corner, in world metres.
    pub min_m: Vec3,
    /// The box's upper corner, in world metres.
    pub max_m: Vec3,
    /// Its colour before shading.
    pub rgb: [u8; 3],
}

/// The light a frame is drawn in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lighting {
    /// Daylight from 0 (night) to 1 (noon).
    pub daylight: f32,
    /// Whether the eye is under water: rays then pass through water, and everything is tinted
    /// blue with short fog.
    pub underwater: bool,
}

/// A rendered view: colour and depth, row-major, top row first.
#[derive(Clone, Debug)]
pub struct Frame {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Colour, 3 bytes per pixel.
    pub rgb: Vec<u8>,
    /// Distance along the optical axis in metres; 0 where nothing was hit.
    pub depth_m: Vec<f32>,
    /// Scratch: the bodies in view and the pixel rectangles they may cover.
    visible: Vec<(usize, [usize; 4])>,
    /// Scratch: [`Sight`]'s column heights.
    tops: Vec<u8>,
}

/// A frame that could not be encoded.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The PNG encoder failed.
    #[error("encoding the frame as PNG failed: {0}")]
    Png(#[from] png::EncodingError),
}

impl Frame {
    /// A black frame of `width × height` pixels.
    pub fn new(width: u32, height: u32) -> Self {
        let pixels = width as usize * height as usize;
        Self {
            width,
            height,
            rgb: vec![0; pixels * 3],
            depth_m: vec![0.0; pixels],
            visible: Vec::new(),
            tops: Vec::new(),
        }
    }

    /// The colour image as 8-bit RGB PNG bytes.
    pub fn rgb_png(&self) -> Result<Vec<u8>, RenderError> {
        self.png(png::ColorType::Rgb, png::BitDepth::Eight, &self.rgb)
    }

    /// Depth as 16-bit grey PNG bytes in millimetres (0: nothing hit; saturates at 65535).
    pub fn depth_png_mm(&self) -> Result<Vec<u8>, RenderError> {
        let data: Vec<u8> = self
            .depth_m
            .iter()
            .flat_map(|&d| ((d * 1000.0).round().clamp(0.0, 65535.0) as u16).to_be_bytes())
            .collect();
        self.png(png::ColorType::Grayscale, png::BitDepth::Sixteen, &data)
    }

    fn png(
        &self,
        color: png::ColorType,
        depth: png::BitDepth,
        data: &[u8],
    ) -> Result<Vec<u8>, RenderError> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, self.width, self.height);
        encoder.set_color(color);
        encoder.set_depth(depth);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(data)?;
        writer.finish()?;
        Ok(out)
    }
}

/// Where a ray met a block.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RayHit {
    /// The block's cell.
    pub cell: IVec3,
    /// The unit normal of the face the ray entered through (zero when it started inside).
    pub normal: IVec3,
    /// The distance along the ray, in metres.
    pub distance_m: f32,
}

/// The first block a ray from `origin` along `dir` (need not be normalised) meets within
/// `max_dist_m` for which `stops(block)` is true: its cell, the face it entered through (zero
/// when `origin` is inside it) and the distance along the normalised ray. Above
/// [`World::max_z`] a rising ray meets nothing; beyond the world's sides and floor it meets
/// the bedrock there. `None` too for a negative or NaN range, and for an origin that is not
/// finite or is a million metres or more away.
pub fn cast_ray(
    world: &World,
    origin: Vec3,
    dir: Vec3,
    max_dist_m: f32,
    stops: impl Fn(Block) -> bool,
) -> Option<RayHit> {
    let start = Start::new(world, origin)?;
    let probe = Lookup { world, stops };
    march(&start, dir.normalize_or_zero(), max_dist_m, probe).map(|(hit, _)| hit)
}

/// The block at a cell when it stops the ray.
trait Probe {
    fn stop(&mut self, cell: IVec3) -> Option<Block>;
}

/// [`cast_ray`]'s probe: a lookup per cell.
struct Lookup<'a, F> {
    world: &'a World,
    stops: F,
}

impl<F: Fn(Block) -> bool> Probe for Lookup<'_, F> {
    #[inline(always)]
    fn stop(&mut self, cell: IVec3) -> Option<Block> {
        let block = self.world.block(cell);
        (self.stops)(block).then_some(block)
    }
}

/// Distances inside [`march`]: metres in 32.32 fixed point. Integer compares and adds keep
/// each step's dependency chain about a third as long as with floats, and a step is mostly
/// that chain (the measured gain is about 1.4×).
const ONE_M: f64 = (1u64 << 32) as f64;
/// "Never" (an axis the ray runs parallel to): beyond every distance, and safe to add to.
const NEVER: u64 = 1 << 60;

/// Where rays start, with what every ray from there shares: its cell, the offsets to the
/// cell's lower and upper faces, and per axis the steps down and up to a cell beyond the
/// world's sides and floor or above its highest block, from where nothing more is met
/// (bedrock or air).
#[derive(Clone, Copy)]
struct Start {
    cell: IVec3,
    below: Vec3,
    above: Vec3,
    down: [i64; 3],
    up: [i64; 3],
}

impl Start {
    /// `None` unless `origin` is finite and within a million metres of the world's origin.
    fn new(world: &World, origin: Vec3) -> Option<Self> {
        if !origin.is_finite() || origin.abs().max_element() >= 1e6 {
            return None;
        }
        let cell = origin.floor().as_ivec3();
        let size = world.size_blocks();
        let hi = [size - 1, size - 1, world.max_z()].map(i64::from);
        let c = cell.to_array().map(i64::from);
        Some(Self {
            cell,
            below: cell.as_vec3() - origin,
            above: cell.as_vec3() + 1.0 - origin,
            down: c.map(|c| c + 1),
            up: std::array::from_fn(|a| hi[a] + 1 - c[a]),
        })
    }
}

/// Amanatides & Woo's voxel traversal ("A Fast Voxel Traversal Algorithm", 1987): step from
/// cell to cell along the unit ray `dir`, always across the nearest cell boundary. Written by
/// hand because no crate walks our chunk store at this speed: the renderer calls it for every
/// pixel, and the fixed-point step, the inlined lookup ([`Probe`]) and the early exit (above
/// the highest block and rising, outside the world and leaving) make a frame cost
/// microseconds.
#[inline(always)]
fn march(
    start: &Start,
    dir: Vec3,
    max_dist: f32,
    mut probe: impl Probe,
) -> Option<(RayHit, Block)> {
    let (sx, mut nx, dx, x_exit) = axis(start, 0, dir.x);
    let (sy, mut ny, dy, y_exit) = axis(start, 1, dir.y);
    let (sz, mut nz, dz, z_exit) = axis(start, 2, dir.z);
    if max_dist.is_nan() || max_dist < 0.0 {
        return None;
    }
    let max = fixed(max_dist)
        .min(x_exit.min(y_exit).min(z_exit))
        .min(NEVER - 1);
    let IVec3 {
        mut x,
        mut y,
        mut z,
    } = start.cell;
    let mut t = 0;
    loop {
        let cell = IVec3::new(x, y, z);
        if let Some(block) = probe.stop(cell) {
            // The face crossed last: on the axis whose boundary was at `t` (none in the
            // first cell, which the ray never comes back to).
            let crossed = |s: i32, n: u64, d: u64| s != 0 && n.wrapping_sub(d) == t;
            let normal = if cell == start.cell {
                IVec3::ZERO
            } else if crossed(sx, nx, dx) {
                IVec3::new(-sx, 0, 0)
            } else if crossed(sy, ny, dy) {
                IVec3::new(0, -sy, 0)
            } else {
                IVec3::new(0, 0, -sz)
            };
            let distance_m = (t as f64 / ONE_M) as f32;
            let hit = RayHit {
                cell,
                normal,
                distance_m,
            };
            return Some((hit, block));
        }
        // Plain branches: the branch-free forms measured (masks, selects, an indexed axis)
        // were all slower, as predicted branches cut the dependency chain between steps.
        if nx < ny && nx < nz {
            t = nx;
            x += sx;
            nx += dx;
        } else if ny < nz {
            t = ny;
            y += sy;
            ny += dy;
        } else {
            t = nz;
            z += sz;
            nz += dz;
        }
        if t > max {
            return None;
        }
    }
}

/// Non-negative metres as [`march`]'s fixed point, saturating at [`NEVER`] (NaN too).
#[inline(always)]
fn fixed(m: f32) -> u64 {
    let v = f64::from(m) * ONE_M;
    // Through i64: x86-64 has no direct float to u64 conversion.
    if v < NEVER as f64 {
        v as i64 as u64
    } else {
        NEVER
    }
}

/// Axis `a` of a walk from `start` whose direction there is `d`: the step, the distances to
/// the first boundary and between boundaries, and the distance at which the ray leaves
/// (0 when it starts out).
#[inline(always)]
fn axis(start: &Start, a: usize, d: f32) -> (i32, u64, u64, u64) {
    let (below, above, down, up) = (start.below[a], start.above[a], start.down[a], start.up[a]);
    let inv = 1.0 / d;
    let (step, first, steps) = if d > 0.0 {
        (1, above * inv, up)
    } else if d < 0.0 {
        (-1, below * inv, down)
    } else {
        let exit = if down > 0 && up > 0 { NEVER } else { 0 };
        return (0, NEVER, NEVER, exit);
    };
    let (first, delta) = (fixed(first), fixed(inv.abs()));
    let exit = match steps {
        ..=0 => 0,
        n => delta
            .saturating_mul(n as u64 - 1)
            .saturating_add(first)
            .min(NEVER),
    };
    (step, first, delta, exit)
}

/// The entry distance and face normal of the ray `origin + t·dir` (`inv` = 1/dir) into the
/// box `min..max`, when it meets it ahead (distance 0 and a zero normal from inside).
#[inline(always)]
fn slab(min: Vec3, max: Vec3, origin: Vec3, inv: Vec3) -> Option<(f32, IVec3)> {
    let a = (min - origin) * inv;
    let b = (max - origin) * inv;
    let (lo, hi) = (a.min(b), a.max(b));
    let near = lo.max_element();
    let far = hi.min_element();
    if !(near <= far && far >= 0.0) {
        return None;
    }
    if near < 0.0 {
        return Some((0.0, IVec3::ZERO));
    }
    let axis = if near == lo.x {
        0
    } else if near == lo.y {
        1
    } else {
        2
    };
    let mut normal = IVec3::ZERO;
    normal[axis] = if inv[axis] > 0.0 { -1 } else { 1 };
    Some((near, normal))
}

/// A block type's colours: top, sides, bottom, and specks on a 4×4 texel grid (ores).
#[derive(Clone, Copy)]
struct Look {
    top: [u8; 3],
    side: [u8; 3],
    bottom: [u8; 3],
    speck: Option<[u8; 3]>,
}

const STONE: [u8; 3] = [125, 125, 125];
const DIRT: [u8; 3] = [134, 96, 67];

const fn look(top: [u8; 3], side: [u8; 3], bottom: [u8; 3], speck: Option<[u8; 3]>) -> Look {
    Look {
        top,
        side,
        bottom,
        speck,
    }
}

const fn plain(rgb: [u8; 3]) -> Look {
    look(rgb, rgb, rgb, None)
}

const fn ore(speck: [u8; 3]) -> Look {
    look(STONE, STONE, STONE, Some(speck))
}

const fn look_of(block: Block) -> Look {
    match block {
        Block::Air => plain([0, 0, 0]), // never drawn
        Block::Grass => look([95, 159, 53], DIRT, DIRT, None),
        Block::Dirt => plain(DIRT),
        Block::Stone => plain(STONE),
        Block::Sand => plain([219, 207, 163]),
        Block::Water => plain([47, 90, 205]),
        Block::Log => look([160, 130, 80], [102, 81, 50], [160, 130, 80], None),
        Block::Leaves => plain([48, 105, 35]),
        Block::TallGrass => plain([120, 185, 70]),
        Block::Flower => plain([200, 40, 40]), // or yellow, by cell
        Block::CoalOre => ore([30, 30, 30]),
        Block::IronOre => ore([216, 175, 147]),
        Block::DiamondOre => ore([90, 220, 220]),
        Block::Lava => plain([235, 110, 20]),
        Block::Bedrock => look([60, 60, 60], [60, 60, 60], [60, 60, 60], Some([25, 25, 25])),
        Block::Table => look([160, 110, 60], [120, 80, 45], [120, 80, 45], None),
        Block::Furnace => look([105, 105, 105], [80, 80, 80], [80, 80, 80], None),
    }
}

/// [`look_of`] by block code.
const LOOKS: [Look; Block::ALL.len()] = {
    let mut looks = [look_of(Block::Air); Block::ALL.len()];
    let mut i = 0;
    while i < looks.len() {
        looks[i] = look_of(Block::ALL[i]);
        i += 1;
    }
    looks
};

const FLOWER_YELLOW: [u8; 3] = [235, 205, 40];

/// A well-mixed hash of a cell and a salt (the same on every run and platform).
#[inline]
fn hash(cell: IVec3, salt: u32) -> u32 {
    let mut h = (cell.x as u32).wrapping_mul(0x9E37_79B1)
        ^ (cell.y as u32).wrapping_mul(0x85EB_CA77)
        ^ (cell.z as u32).wrapping_mul(0xC2B2_AE3D)
        ^ salt.wrapping_mul(0x27D4_EB2F);
    h ^= h >> 15;
    h = h.wrapping_mul(0x2C1B_3C6D);
    h ^ (h >> 13)
}

/// Brightness by the face's normal: top 1, north/south 0.8, east/west 0.65, bottom 0.5.
#[inline]
fn face_shade(normal: IVec3) -> f32 {
    match (normal.x, normal.y, normal.z) {
        (_, _, 1) => 1.0,
        (_, _, -1) => 0.5,
        (_, 1 | -1, _) => 0.8,
        (1 | -1, _, _) => 0.65,
        _ => 1.0,
    }
}

/// A block face's colour at `point` before light and fog.
#[inline]
fn block_rgb(block: Block, cell: IVec3, normal: IVec3, point: Vec3) -> Vec3 {
    let look = &LOOKS[usize::from(block.code())];
    let h = hash(cell, 0);
    let mut rgb = match normal.z {
        1 => look.top,
        -1 => look.bottom,
        _ => look.side,
    };
    if block == Block::Grass && normal.z == 0 && point.z - cell.z as f32 > 0.8 {
        rgb = look.top; // the green fringe along the sides' top
    } else if block == Block::Flower && h & 1 == 1 {
        rgb = FLOWER_YELLOW;
    } else if let Some(speck) = look.speck {
        let (u, v) = match (normal.x, normal.y) {
            (0, 0) => (point.x, point.y),
            (0, _) => (point.x, point.z),
            _ => (point.y, point.z),
        };
        let texel = |a: f32| ((a - a.floor()) * 4.0) as u32 & 3;
        if hash(cell, 1 + texel(u) + 4 * texel(v)).is_multiple_of(3) {
            rgb = speck;
        }
    }
    // ±6% per cell, so that neighbouring blocks of one kind read apart.
    let variation = 0.94 + ((h >> 8) & 255) as f32 * (0.12 / 255.0);
    Vec3::from(rgb.map(f32::from)) * (face_shade(normal) * variation)
}

/// One frame's light: how bright lit faces are, the tint, and the fog.
struct Palette {
    light: f32,
    tint: Vec3,
    fog_rgb: Vec3,
    /// Fog = clamp(t · `fog_per_m` − `fog_offset`, 0, 1).
    fog_per_m: f32,
    fog_offset: f32,
}

impl Palette {
    fn new(lighting: Lighting) -> Self {
        let daylight = lighting.daylight.clamp(0.0, 1.0);
        let mix = |night: [u8; 3], day: [u8; 3]| {
            Vec3::from(night.map(f32::from)).lerp(Vec3::from(day.map(f32::from)), daylight)
        };
        let light = 0.25 + 0.75 * daylight;
        if lighting.underwater {
            Self {
                light,
                tint: Vec3::new(0.45, 0.65, 1.0),
                fog_rgb: mix([5, 12, 35], [25, 65, 140]),
                fog_per_m: 1.0 / UNDERWATER_FOG_M,
                fog_offset: 0.0,
            }
        } else {
            Self {
                light,
                tint: Vec3::ONE,
                fog_rgb: mix([12, 16, 40], [140, 195, 245]),
                fog_per_m: 1.0 / (VIEW_DISTANCE_M * (1.0 - FOG_START)),
                fog_offset: FOG_START / (1.0 - FOG_START),
            }
        }
    }

    /// The colour where a ray meets nothing: the sky, or the water around the eye.
    fn miss(&self) -> [u8; 3] {
        to_u8(self.fog_rgb)
    }

    /// A surface of colour `rgb` seen `t` metres away; emissive ones ignore daylight.
    #[inline]
    fn shade(&self, rgb: Vec3, t: f32, emissive: bool) -> [u8; 3] {
        let lit = rgb * self.tint * if emissive { 1.0 } else { self.light };
        let fog = (t * self.fog_per_m - self.fog_offset).clamp(0.0, 1.0);
        to_u8(lit.lerp(self.fog_rgb, fog))
    }
}

#[inline]
fn to_u8(rgb: Vec3) -> [u8; 3] {
    // `as` saturates: below 0 gives 0, above 255 gives 255.
    [
        (rgb.x + 0.5) as u8,
        (rgb.y + 0.5) as u8,
        (rgb.z + 0.5) as u8,
    ]
}

/// The pixels `[x0, x1) × [y0, y1)` a body may cover (a bound; the slab test decides), when
/// it may be seen at all.
fn screen_rect(
    body: &Body,
    eye: Vec3,
    (forward, right, up): (Vec3, Vec3, Vec3),
    focal_px: f32,
    (w, h): (usize, usize),
) -> Option<[usize; 4]> {
    if eye.clamp(body.min_m, body.max_m).distance(eye) > VIEW_DISTANCE_M {
        return None;
    }
    let (mut lo, mut hi) = (glam::Vec2::INFINITY, glam::Vec2::NEG_INFINITY);
    let mut behind = 0;
    for k in 0..8 {
        let pick = glam::BVec3::new(k & 1 != 0, k & 2 != 0, k & 4 != 0);
        let corner = Vec3::select(pick, body.max_m, body.min_m) - eye;
        let z = corner.dot(forward);
        if z < 1e-3 {
            behind += 1;
            continue;
        }
        let p = glam::Vec2::new(corner.dot(right), -corner.dot(up)) * (focal_px / z);
        lo = lo.min(p);
        hi = hi.max(p);
    }
    if behind == 8 {
        return None;
    }
    if behind > 0 {
        return Some([0, 0, w, h]); // straddles the eye's plane: test every pixel
    }
    let half = glam::Vec2::new(w as f32, h as f32) * 0.5;
    let (lo, hi) = ((lo + half).floor() - 1.0, (hi + half).ceil() + 1.0);
    let clamp = |v: f32, n: usize| v.clamp(0.0, n as f32) as usize;
    let rect = [
        clamp(lo.x, w),
        clamp(lo.y, h),
        clamp(hi.x, w),
        clamp(hi.y, h),
    ];
    (rect[0] < rect[2] && rect[1] < rect[3]).then_some(rect)
}

/// The side of the window of columns whose heights [`Sight`] caches, `2^TOPS_SHIFT`: more
/// than the span of the columns a view ray visits.
const TOPS_SHIFT: u32 = 7;
const TOPS_SIDE: u32 = 1 << TOPS_SHIFT;
const _: () = assert!(TOPS_SIDE >= 2 * VIEW_DISTANCE_M as u32 + 3);
/// A column height not looked up yet.
const UNKNOWN: u8 = u8::MAX;

/// How view rays meet the world during one frame. It caches the heights of the columns
/// around the eye: most cells a view ray visits are air above the ground, and knowing a
/// column's highest block spares their lookups (a ray costs about two [`World::block`]s
/// instead of a dozen). Plants stop a ray only where it meets their smaller box.
struct Sight<'a> {
    world: &'a World,
    /// What stops a view ray, as a bit per block code.
    stopping: u32,
    /// Per column, its highest non-air z + 1 (0: all air), or [`UNKNOWN`].
    tops: &'a mut [u8],
    /// The current ray.
    eye: Vec3,
    dir: Vec3,
    /// Where the ray met the plant it stopped at: distance and face normal.
    plant: (f32, IVec3),
}

impl<'a> Sight<'a> {
    fn new(world: &'a World, eye: Vec3, stopping: u32, tops: &'a mut Vec<u8>) -> Self {
        tops.clear();
        tops.resize((TOPS_SIDE * TOPS_SIDE) as usize, UNKNOWN);
        Self {
            world,
            stopping,
            tops,
            eye,
            dir: Vec3::Z,
            plant: (0.0, IVec3::ZERO),
        }
    }

    /// The highest non-air z + 1 of column `(x, y)` (0: all air).
    #[cold]
    #[inline(never)]
    fn top(&self, x: i32, y: i32) -> u8 {
        (0..=self.world.max_z())
            .rev()
            .find(|&z| self.world.block(IVec3::new(x, y, z)) != Block::Air)
            .map_or(0, |z| z as u8 + 1)
    }
}

impl Probe for &mut Sight<'_> {
    #[inline(always)]
    fn stop(&mut self, cell: IVec3) -> Option<Block> {
        // The columns a view ray visits span less than the window's side (twice the view
        // distance and more), so their coordinates modulo the side tell them apart.
        let wrap = |c: i32| c as u32 & (TOPS_SIDE - 1);
        let i = (wrap(cell.x) | wrap(cell.y) << TOPS_SHIFT) as usize;
        let mut top = self.tops[i];
        if cell.z >= i32::from(top) {
            return None; // air
        }
        if top == UNKNOWN {
            top = self.top(cell.x, cell.y);
            self.tops[i] = top;
            if cell.z >= i32::from(top) {
                return None;
            }
        }
        let block = self.world.block(cell);
        if self.stopping >> block.code() & 1 == 0 {
            return None;
        }
        if let Some((lo, hi)) = plant_box(block) {
            let base = cell.as_vec3();
            self.plant = slab(base + lo, base + hi, self.eye, self.dir.recip())?;
        }
        Some(block)
    }
}

/// The box a plant fills within its cell.
#[inline]
fn plant_box(block: Block) -> Option<(Vec3, Vec3)> {
    match block {
        Block::TallGrass => Some((Vec3::new(0.2, 0.2, 0.0), Vec3::new(0.8, 0.8, 0.7))),
        Block::Flower => Some((Vec3::new(0.3, 0.3, 0.0), Vec3::new(0.7, 0.7, 0.55))),
        _ => None,
    }
}

/// Renders the first-person view into `frame` (its width and height set the resolution;
/// reuse the frame across calls: nothing is allocated once it has its size).
pub fn render(
    world: &World,
    bodies: &[Body],
    camera: &Camera,
    lighting: Lighting,
    frame: &mut Frame,
) {
    let (w, h) = (frame.width as usize, frame.height as usize);
    frame.rgb.resize(w * h * 3, 0);
    frame.depth_m.resize(w * h, 0.0);
    if w == 0 || h == 0 {
        return;
    }
    let basis @ (forward, right, up) = camera.basis();
    let eye = camera.eye_m;
    // The side of a pixel on the image plane one metre ahead.
    let half_fov = camera.hfov_deg.clamp(1.0, 179.0).to_radians() * 0.5;
    let pixel = 2.0 * half_fov.tan() / w as f32;
    let Frame {
        rgb,
        depth_m,
        visible,
        tops,
        ..
    } = frame;
    visible.clear();
    visible.extend(bodies.iter().enumerate().filter_map(|(i, body)| {
        screen_rect(body, eye, basis, 1.0 / pixel, (w, h)).map(|rect| (i, rect))
    }));
    let palette = Palette::new(lighting);
    // What stops a view ray, as a bit per block code.
    let stopping = Block::ALL
        .iter()
        .filter(|&&b| b != Block::Air && !(lighting.underwater && b == Block::Water))
        .fold(0u32, |bits, b| bits | 1 << b.code());
    let mut sight = Sight::new(world, eye, stopping, tops);
    let start = Start::new(world, eye);
    let rows = rgb.chunks_exact_mut(w * 3).zip(depth_m.chunks_exact_mut(w));
    for (j, (rgb_row, depth_row)) in rows.enumerate() {
        let row_dir = forward + up * ((h as f32 * 0.5 - (j as f32 + 0.5)) * pixel);
        for (i, (out, depth)) in rgb_row.chunks_exact_mut(3).zip(depth_row).enumerate() {
            let dir = (row_dir + right * ((i as f32 + 0.5 - w as f32 * 0.5) * pixel)).normalize();
            // The nearest body first: it shortens the walk through the blocks.
            let mut nearest = VIEW_DISTANCE_M;
            let mut body_hit = None;
            if !visible.is_empty() {
                let inv = dir.recip();
                for &(b, [x0, y0, x1, y1]) in visible.iter() {
                    if (x0..x1).contains(&i)
                        && (y0..y1).contains(&j)
                        && let Some((t, normal)) = slab(bodies[b].min_m, bodies[b].max_m, eye, inv)
                        && t < nearest
                    {
                        nearest = t;
                        body_hit = Some((b, normal));
                    }
                }
            }
            sight.dir = dir;
            let block_hit = start.and_then(|start| march(&start, dir, nearest, &mut sight));
            let block_hit = block_hit.map(|(mut hit, block)| {
                if plant_box(block).is_some() {
                    (hit.distance_m, hit.normal) = sight.plant;
                }
                (hit, block)
            });
            let (colour, t) = match (block_hit, body_hit) {
                (Some((hit, block)), _) if hit.distance_m <= nearest => {
                    let t = hit.distance_m;
                    let rgb = block_rgb(block, hit.cell, hit.normal, eye + dir * t);
                    (palette.shade(rgb, t, block == Block::Lava), t)
                }
                (_, Some((b, normal))) => {
                    let rgb = Vec3::from(bodies[b].rgb.map(f32::from)) * face_shade(normal);
                    (palette.shade(rgb, nearest, false), nearest)
                }
                _ => (palette.miss(), 0.0),
            };
            out.copy_from_slice(&colour);
            *depth = t * dir.dot(forward);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::world::HEIGHT;

    const DAY: Lighting = Lighting {
        daylight: 1.0,
        underwater: false,
    };

    /// One chunk, flattened: stone up to z = 20 (its top face at z = 21), air above.
    fn flat_world() -> World {
        let mut world = World::new(5, 1);
        let _ = world.ensure_around(IVec3::new(8, 8, 30), 0);
        for x in 0..16 {
            for y in 0..16 {
                for z in 1..HEIGHT {
                    let block = if z <= 20 { Block::Stone } else { Block::Air };
                    world.set_block(IVec3::new(x, y, z), block);
                }
            }
        }
        world
    }

    /// A generated 2×2-chunk world and a camera at eye height over its middle.
    fn hills() -> (World, Camera) {
        let mut world = World::new(7, 2);
        let _ = world.ensure_around(IVec3::new(16, 16, 30), 32);
        let ground = world.top_solid_z(16, 16) as f32 + 1.0;
        let camera = Camera {
            eye_m: Vec3::new(16.5, 16.5, ground + 1.62),
            yaw_deg: 30.0,
            pitch_deg: -10.0,
            hfov_deg: 90.0,
        };
        (world, camera)
    }

    fn camera(eye_m: Vec3, yaw_deg: f32, pitch_deg: f32) -> Camera {
        Camera {
            eye_m,
            yaw_deg,
            pitch_deg,
            hfov_deg: 90.0,
        }
    }

    fn pixel_of(frame: &Frame, i: u32, j: u32) -> ([u8; 3], f32) {
        let k = (j * frame.width + i) as usize;
        let rgb = [frame.rgb[3 * k], frame.rgb[3 * k + 1], frame.rgb[3 * k + 2]];
        (rgb, frame.depth_m[k])
    }

    fn mean_brightness(frame: &Frame) -> f64 {
        frame.rgb.iter().map(|&c| f64::from(c)).sum::<f64>() / frame.rgb.len() as f64
    }

    fn solid(b: Block) -> bool {
        b != Block::Air
    }

    #[test]
    fn cast_ray_down_hits_the_column_top_from_above() {
        let world = flat_world();
        let hit = cast_ray(&world, Vec3::new(5.5, 5.5, 40.3), -Vec3::Z, 64.0, solid).unwrap();
        assert_eq!(hit.cell, IVec3::new(5, 5, 20));
        assert_eq!(hit.normal, IVec3::Z);
        assert!((hit.distance_m - 19.3).abs() < 1e-4, "{}", hit.distance_m);
    }

    #[test]
    fn cast_ray_along_x_hits_a_placed_block_through_its_west_face() {
        let mut world = flat_world();
        assert!(world.set_block(IVec3::new(10, 6, 22), Block::Stone));
        // An unnormalised direction: the distance is along the normalised ray.
        let origin = Vec3::new(3.25, 6.5, 22.5);
        let hit = cast_ray(&world, origin, Vec3::new(2.0, 0.0, 0.0), 16.0, solid).unwrap();
        assert_eq!(hit.cell, IVec3::new(10, 6, 22));
        assert_eq!(hit.normal, -IVec3::X);
        assert!((hit.distance_m - 6.75).abs() < 1e-4, "{}", hit.distance_m);
        // Diagonally, it enters the first cell of the placed block's face it meets.
        let dir = Vec3::new(1.0, 0.0, -0.1);
        let hit = cast_ray(&world, Vec3::new(3.25, 6.5, 22.9), dir, 16.0, solid).unwrap();
        assert_eq!((hit.cell, hit.normal), (IVec3::new(10, 6, 22), -IVec3::X));
        assert!((hit.distance_m - 6.75 * dir.length()).abs() < 1e-4);
    }

    #[test]
    fn cast_ray_from_inside_a_block_hits_it_at_distance_zero() {
        let world = flat_world();
        let hit = cast_ray(&world, Vec3::new(5.5, 5.5, 10.5), Vec3::X, 8.0, solid).unwrap();
        assert_eq!(hit.cell, IVec3::new(5, 5, 10));
        assert_eq!(hit.normal, IVec3::ZERO);
        assert_eq!(hit.distance_m, 0.0);
        // On a cell's corner, inside it; on a face, outside it.
        let hit = cast_ray(&world, Vec3::new(5.0, 5.0, 10.0), Vec3::X, 8.0, solid).unwrap();
        assert_eq!((hit.cell, hit.normal), (IVec3::new(5, 5, 10), IVec3::ZERO));
        let hit = cast_ray(&world, Vec3::new(5.5, 5.5, 21.0), -Vec3::Z, 8.0, solid).unwrap();
        assert_eq!((hit.cell, hit.normal), (IVec3::new(5, 5, 20), IVec3::Z));
        assert_eq!(hit.distance_m, 0.0);
    }

    #[test]
    fn cast_ray_misses_beyond_its_range_above_the_world_and_with_no_direction() {
        let mut world = flat_world();
        assert!(world.set_block(IVec3::new(10, 6, 22), Block::Stone));
        let origin = Vec3::new(3.25, 6.5, 22.5);
        assert_eq!(cast_ray(&world, origin, Vec3::X, 6.7, solid), None);
        assert!(cast_ray(&world, origin, Vec3::X, 6.8, solid).is_some());
        assert_eq!(cast_ray(&world, origin, Vec3::Z, 1000.0, solid), None);
        assert_eq!(cast_ray(&world, origin, Vec3::ZERO, 1000.0, solid), None);
        assert_eq!(cast_ray(&world, Vec3::NAN, Vec3::X, 10.0, solid), None);
        assert_eq!(
            cast_ray(&world, Vec3::splat(1e7), -Vec3::ONE, 1e9, solid),
            None
        );
        assert_eq!(cast_ray(&world, origin, Vec3::NAN, 10.0, solid), None);
        let inside = Vec3::new(5.5, 5.5, 10.5);
        assert!(cast_ray(&world, inside, Vec3::X, 0.0, solid).is_some());
        assert_eq!(cast_ray(&world, inside, Vec3::X, -1.0, solid), None);
        assert_eq!(cast_ray(&world, inside, Vec3::X, f32::NAN, solid), None);
        // Only what `stops` accepts stops it: through the block to the bedrock wall.
        let hit = cast_ray(&world, origin, Vec3::X, 100.0, |b| b == Block::Bedrock).unwrap();
        assert_eq!((hit.cell, hit.normal), (IVec3::new(16, 6, 22), -IVec3::X));
        // Leaving the world with bedrock not stopping: nothing more to meet.
        assert_eq!(
            cast_ray(&world, origin, Vec3::X, 1e9, |b| b == Block::Sand),
            None
        );
    }

    #[test]
    fn looking_down_sees_the_ground_two_metres_below() {
        let world = flat_world();
        let mut frame = Frame::new(64, 64);
        let view = camera(Vec3::new(8.5, 8.5, 23.0), 0.0, -90.0);
        render(&world, &[], &view, DAY, &mut frame);
        let (rgb, depth) = pixel_of(&frame, 32, 32);
        assert!((depth - 2.0).abs() < 1e-3, "{depth}");
        assert_ne!(rgb, Palette::new(DAY).miss());
        // A plane square to the axis: the same depth everywhere.
        assert!(frame.depth_m.iter().all(|d| (d - 2.0).abs() < 1e-3));
    }

    #[test]
    fn looking_up_at_nothing_sees_sky_at_depth_zero() {
        let world = flat_world();
        let mut frame = Frame::new(64, 64);
        render(
            &world,
            &[],
            &camera(Vec3::new(8.5, 8.5, 22.6), 0.0, 90.0),
            DAY,
            &mut frame,
        );
        let (rgb, depth) = pixel_of(&frame, 32, 32);
        assert_eq!(depth, 0.0);
        assert_eq!(rgb, Palette::new(DAY).miss());
    }

    #[test]
    fn the_top_row_is_up_and_yaw_90_looks_east() {
        let mut world = flat_world();
        let mut frame = Frame::new(64, 64);
        let eye = Vec3::new(8.5, 2.5, 22.62);
        render(&world, &[], &camera(eye, 0.0, 0.0), DAY, &mut frame);
        // The bottom row's centre sees the ground 1.62 m below: along the axis at
        // 1.62 / (31.5 / 32) with a 90° fov.
        let (_, depth) = pixel_of(&frame, 32, 63);
        assert!((depth - 1.62 * 32.0 / 31.5).abs() < 1e-3, "{depth}");
        // A pillar east of the eye, seen at yaw 90 (and not at yaw 270).
        world.set_block(IVec3::new(12, 2, 22), Block::Log);
        render(&world, &[], &camera(eye, 90.0, 0.0), DAY, &mut frame);
        assert!((pixel_of(&frame, 32, 32).1 - 3.5).abs() < 1e-3);
        render(&world, &[], &camera(eye, 270.0, 0.0), DAY, &mut frame);
        assert!((pixel_of(&frame, 32, 32).1 - 8.5).abs() < 1e-3); // the west wall
    }

    #[test]
    fn a_body_in_front_hides_the_terrain() {
        let world = flat_world();
        let mut frame = Frame::new(64, 64);
        let view = camera(Vec3::new(8.5, 4.5, 22.62), 0.0, 0.0);
        render(&world, &[], &view, DAY, &mut frame);
        let (_, wall) = pixel_of(&frame, 32, 32);
        assert!((wall - 11.5).abs() < 1e-3, "{wall}");
        let body = Body {
            min_m: Vec3::new(8.0, 7.0, 21.0),
            max_m: Vec3::new(9.0, 8.0, 23.2),
            rgb: [200, 100, 50],
        };
        render(&world, &[body], &view, DAY, &mut frame);
        let (rgb, depth) = pixel_of(&frame, 32, 32);
        assert!((depth - 2.5).abs() < 1e-3, "{depth}");
        // Its south face: shaded 0.8, in full daylight, too near for fog.
        assert_eq!(rgb, [160, 80, 40]);
        // A body behind the wall, or behind the eye, changes nothing.
        let mut hidden = body;
        hidden.min_m.y += 20.0;
        hidden.max_m.y += 20.0;
        let mut behind = body;
        behind.min_m.y -= 6.0;
        behind.max_m.y -= 6.0;
        let mut other = Frame::new(64, 64);
        render(&world, &[hidden, behind], &view, DAY, &mut other);
        render(&world, &[], &view, DAY, &mut frame);
        assert_eq!(frame.rgb, other.rgb);
    }

    #[test]
    fn plants_fill_only_part_of_their_cell() {
        let mut world = flat_world();
        world.set_block(IVec3::new(8, 8, 21), Block::TallGrass);
        let mut frame = Frame::new(16, 16);
        render(
            &world,
            &[],
            &camera(Vec3::new(8.5, 8.5, 24.0), 0.0, -90.0),
            DAY,
            &mut frame,
        );
        assert!((pixel_of(&frame, 8, 8).1 - 2.3).abs() < 1e-3);
        render(
            &world,
            &[],
            &camera(Vec3::new(8.05, 8.05, 24.0), 0.0, -90.0),
            DAY,
            &mut frame,
        );
        assert!((pixel_of(&frame, 8, 8).1 - 3.0).abs() < 1e-3);
        // Casting rays (the agent's hand) stops at the whole cell.
        let hit = cast_ray(&world, Vec3::new(8.05, 8.05, 24.0), -Vec3::Z, 5.0, solid);
        assert_eq!(hit.unwrap().cell, IVec3::new(8, 8, 21));
    }

    #[test]
    fn water_is_a_surface_above_and_clear_below() {
        let mut world = flat_world();
        for z in 21..=23 {
            world.set_block(IVec3::new(8, 8, z), Block::Water);
        }
        let mut frame = Frame::new(16, 16);
        let view = camera(Vec3::new(8.5, 8.5, 26.0), 0.0, -90.0);
        render(&world, &[], &view, DAY, &mut frame);
        assert!((pixel_of(&frame, 8, 8).1 - 2.0).abs() < 1e-3);
        let under = Lighting {
            underwater: true,
            ..DAY
        };
        render(&world, &[], &view, under, &mut frame);
        assert!((pixel_of(&frame, 8, 8).1 - 5.0).abs() < 1e-3);
        let (r, _, b) = frame.rgb.chunks(3).fold((0, 0, 0), |(r, g, b), p| {
            (
                r + u32::from(p[0]),
                g + u32::from(p[1]),
                b + u32::from(p[2]),
            )
        });
        assert!(b > 2 * r, "tinted blue");
    }

    #[test]
    fn rendering_is_deterministic_at_any_size() {
        let (world, view) = hills();
        let bodies = [Body {
            min_m: view.eye_m + Vec3::new(1.0, 2.0, -1.62),
            max_m: view.eye_m + Vec3::new(2.0, 3.0, 0.0),
            rgb: [90, 60, 40],
        }];
        for (w, h) in [(64, 64), (128, 128), (96, 40)] {
            let (mut a, mut b) = (Frame::new(w, h), Frame::new(w, h));
            render(&world, &bodies, &view, DAY, &mut a);
            render(&world, &bodies, &view, DAY, &mut b);
            assert_eq!(a.rgb, b.rgb);
            assert_eq!(a.depth_m, b.depth_m);
            assert!(a.depth_m.iter().any(|&d| d > 0.0));
            assert!(
                a.depth_m
                    .iter()
                    .all(|&d| (0.0..=VIEW_DISTANCE_M).contains(&d))
            );
        }
        // A frame resized between calls follows its new size.
        let mut frame = Frame::new(64, 64);
        render(&world, &bodies, &view, DAY, &mut frame);
        (frame.width, frame.height) = (32, 16);
        render(&world, &bodies, &view, DAY, &mut frame);
        assert_eq!(
            (frame.rgb.len(), frame.depth_m.len()),
            (32 * 16 * 3, 32 * 16)
        );
    }

    #[test]
    fn every_pixel_agrees_with_cast_ray() {
        // The renderer's column cache and exits against a plain walk, pixel by pixel.
        let (world, view) = hills();
        let mut frame = Frame::new(48, 32);
        for (yaw_deg, pitch_deg) in [(0.0, 0.0), (75.0, 25.0), (200.0, -40.0), (300.0, 60.0)] {
            let view = Camera {
                yaw_deg,
                pitch_deg,
                ..view
            };
            render(&world, &[], &view, DAY, &mut frame);
            let (forward, right, up) = view.basis();
            let pixel = 2.0 / 48.0; // 90° fov
            for j in 0..32 {
                for i in 0..48 {
                    let dir = forward
                        + right * ((i as f32 + 0.5 - 24.0) * pixel)
                        + up * ((16.0 - (j as f32 + 0.5)) * pixel);
                    let depth = pixel_of(&frame, i, j).1;
                    let hit = cast_ray(&world, view.eye_m, dir, VIEW_DISTANCE_M, solid);
                    let Some(hit) = hit else {
                        assert_eq!(depth, 0.0, "{i} {j}");
                        continue;
                    };
                    let expected = hit.distance_m * dir.normalize().dot(forward);
                    if plant_box(world.block(hit.cell)).is_some() {
                        assert!(depth == 0.0 || depth >= expected - 1e-3, "{i} {j}");
                    } else {
                        assert!(
                            (depth - expected).abs() < 1e-3,
                            "{i} {j}: {depth} {expected}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn night_is_darker_than_day() {
        let (world, view) = hills();
        let mut frame = Frame::new(64, 64);
        render(&world, &[], &view, DAY, &mut frame);
        let day = mean_brightness(&frame);
        let night = Lighting {
            daylight: 0.0,
            ..DAY
        };
        render(&world, &[], &view, night, &mut frame);
        let dark = mean_brightness(&frame);
        assert!(dark < 0.5 * day, "{dark} vs {day}");
    }

    #[test]
    fn every_block_has_its_own_colour() {
        let mut seen = std::collections::HashSet::new();
        for block in Block::ALL.into_iter().skip(1) {
            let look = &LOOKS[usize::from(block.code())];
            assert!(seen.insert((look.top, look.side, look.speck)), "{block:?}");
        }
    }

    #[test]
    fn pngs_decode_to_the_frame() {
        let (world, view) = hills();
        let mut frame = Frame::new(64, 48);
        render(&world, &[], &view, DAY, &mut frame);
        let decode = |bytes: Vec<u8>| {
            let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
                .read_info()
                .unwrap();
            let mut data = vec![0; reader.output_buffer_size().unwrap()];
            let info = reader.next_frame(&mut data).unwrap();
            (info, data)
        };
        let (info, data) = decode(frame.rgb_png().unwrap());
        assert_eq!((info.width, info.height), (64, 48));
        assert_eq!(info.color_type, png::ColorType::Rgb);
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        assert_eq!(data, frame.rgb);

        let mut depth = Frame::new(2, 2);
        depth.depth_m = vec![2.0, 0.0, 70.0, 1.25];
        let (info, data) = decode(depth.depth_png_mm().unwrap());
        assert_eq!((info.width, info.height), (2, 2));
        assert_eq!(info.color_type, png::ColorType::Grayscale);
        assert_eq!(info.bit_depth, png::BitDepth::Sixteen);
        let mm: Vec<u16> = data
            .chunks(2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
            .collect();
        assert_eq!(mm, [2000, 0, 65535, 1250]);
    }
}
