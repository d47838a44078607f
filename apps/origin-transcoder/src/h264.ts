// H.264 levels (ITU-T H.264 Table A-1) and the RFC 6381 `avc1.PPCCLL` codec string the master
// playlist advertises. Pure: imported by the tests under Node.

/** x264 writes High profile (profile_idc 100) with no constraint flags for 8-bit 4:2:0. */
export const HIGH_PROFILE_IDC = 100;

interface Level {
  /** "4.0" style, as x264's `level` option takes it. */
  name: string;
  idc: number;
  /** Max macroblocks per second. */
  maxMbps: number;
  /** Max frame size in macroblocks. */
  maxFs: number;
  /** Max decoded picture buffer in macroblocks. */
  maxDpbMbs: number;
  /** Max video bitrate, kbit/s, for Baseline/Main (High allows 1.25×). */
  maxBr: number;
  /** Max CPB size, kbit, for Baseline/Main (High allows 1.25×). */
  maxCpb: number;
}

const LEVELS: readonly Level[] = [
  { name: "1.0", idc: 10, maxMbps: 1485, maxFs: 99, maxDpbMbs: 396, maxBr: 64, maxCpb: 175 },
  { name: "1.1", idc: 11, maxMbps: 3000, maxFs: 396, maxDpbMbs: 900, maxBr: 192, maxCpb: 500 },
  { name: "1.2", idc: 12, maxMbps: 6000, maxFs: 396, maxDpbMbs: 2376, maxBr: 384, maxCpb: 1000 },
  { name: "1.3", idc: 13, maxMbps: 11880, maxFs: 396, maxDpbMbs: 2376, maxBr: 768, maxCpb: 2000 },
  { name: "2.0", idc: 20, maxMbps: 11880, maxFs: 396, maxDpbMbs: 2376, maxBr: 2000, maxCpb: 2000 },
  { name: "2.1", idc: 21, maxMbps: 19800, maxFs: 792, maxDpbMbs: 4752, maxBr: 4000, maxCpb: 4000 },
  { name: "2.2", idc: 22, maxMbps: 20250, maxFs: 1620, maxDpbMbs: 8100, maxBr: 4000, maxCpb: 4000 },
  { name: "3.0", idc: 30, maxMbps: 40500, maxFs: 1620, maxDpbMbs: 8100, maxBr: 10000, maxCpb: 10000 },
  { name: "3.1", idc: 31, maxMbps: 108000, maxFs: 3600, maxDpbMbs: 18000, maxBr: 14000, maxCpb: 14000 },
  { name: "3.2", idc: 32, maxMbps: 216000, maxFs: 5120, maxDpbMbs: 20480, maxBr: 20000, maxCpb: 20000 },
  { name: "4.0", idc: 40, maxMbps: 245760, maxFs: 8192, maxDpbMbs: 32768, maxBr: 20000, maxCpb: 25000 },
  { name: "4.1", idc: 41, maxMbps: 245760, maxFs: 8192, maxDpbMbs: 32768, maxBr: 50000, maxCpb: 62500 },
  { name: "4.2", idc: 42, maxMbps: 522240, maxFs: 8704, maxDpbMbs: 34816, maxBr: 50000, maxCpb: 62500 },
  { name: "5.0", idc: 50, maxMbps: 589824, maxFs: 22080, maxDpbMbs: 110400, maxBr: 135000, maxCpb: 135000 },
  { name: "5.1", idc: 51, maxMbps: 983040, maxFs: 36864, maxDpbMbs: 184320, maxBr: 240000, maxCpb: 240000 },
  { name: "5.2", idc: 52, maxMbps: 2073600, maxFs: 36864, maxDpbMbs: 184320, maxBr: 240000, maxCpb: 240000 },
  { name: "6.0", idc: 60, maxMbps: 4177920, maxFs: 139264, maxDpbMbs: 696320, maxBr: 240000, maxCpb: 240000 },
  { name: "6.1", idc: 61, maxMbps: 8355840, maxFs: 139264, maxDpbMbs: 696320, maxBr: 480000, maxCpb: 480000 },
  {
    name: "6.2",
    idc: 62,
    maxMbps: 16711680,
    maxFs: 139264,
    maxDpbMbs: 696320,
    maxBr: 800000,
    maxCpb: 800000,
  },
];

/** High profile's cpbBrVclFactor (1250) over Baseline/Main's (1000). */
const HIGH_BR_FACTOR = 1.25;

/**
 * With B-pyramid (on in every x264 preset from veryfast up) x264 signals at least 4 reference
 * frames (`max(ref, 1 + reorder, 4)`), so the DPB must hold 4 frames at the level we declare.
 */
const DPB_FRAMES = 4;

export interface H264Level {
  name: string;
  idc: number;
}

/**
 * The lowest H.264 level that fits a stream: frame size, macroblock rate, DPB for 4 frames, and the
 * VBV limits (maxrate, bufsize) with High profile's 1.25× allowance.
 */
export function h264Level(p: {
  width: number;
  height: number;
  fps: number;
  maxKbps: number;
  bufsizeKbps: number;
}): H264Level {
  const mbW = Math.ceil(p.width / 16);
  const mbH = Math.ceil(p.height / 16);
  const frameMbs = mbW * mbH;
  for (const l of LEVELS) {
    const maxDim = Math.sqrt(l.maxFs * 8); // each dimension ≤ sqrt(8 × MaxFS) macroblocks
    if (frameMbs > l.maxFs || mbW > maxDim || mbH > maxDim) continue;
    if (frameMbs * p.fps > l.maxMbps) continue;
    if (frameMbs * DPB_FRAMES > l.maxDpbMbs) continue;
    if (p.maxKbps > l.maxBr * HIGH_BR_FACTOR || p.bufsizeKbps > l.maxCpb * HIGH_BR_FACTOR) continue;
    return { name: l.name, idc: l.idc };
  }
  const top = LEVELS[LEVELS.length - 1] as Level;
  return { name: top.name, idc: top.idc };
}

const hex2 = (n: number) => n.toString(16).padStart(2, "0");

/** RFC 6381 codec string, e.g. `avc1.640028` for High profile, level 4.0. */
export function avc1Codec(levelIdc: number, profileIdc = HIGH_PROFILE_IDC, constraintFlags = 0): string {
  return `avc1.${hex2(profileIdc)}${hex2(constraintFlags)}${hex2(levelIdc)}`;
}

/** AAC-LC in MP4 (object type 0x40, audio object type 2). */
export const AAC_LC_CODEC = "mp4a.40.2";
