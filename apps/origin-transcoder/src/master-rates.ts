// The final master's BANDWIDTH and AVERAGE-BANDWIDTH, measured from the segments really stored.
import { AUDIO_RENDITION, type LadderPlan, type MasterVariant, nominalVariants, outputFps } from "./ladder";
import { measureRate, type RenditionStats } from "./playlist";
import type { ProbeInfo } from "./probe";

/**
 * Master variants with BANDWIDTH / AVERAGE-BANDWIDTH measured from the stored segments. RFC 8216
 * §4.3.4.2: once every segment exists, BANDWIDTH is the largest sum of peak segment bit rates of any
 * playable combination of renditions, and AVERAGE-BANDWIDTH the same sum of average bit rates; a rung
 * plays with the one audio rendition, so each is the rung's figure plus the audio's (measureRate:
 * init segments counted). A rung with nothing measured keeps its nominal figures.
 */
export function measuredVariants(
  plan: LadderPlan,
  info: Pick<ProbeInfo, "fps">,
  stats: ReadonlyMap<string, RenditionStats>,
): MasterVariant[] {
  // From the plan, not the probe: an ad has an audio rendition even for a silent source.
  const hasAudio = plan.renditions.includes(AUDIO_RENDITION);
  const empty: RenditionStats = { segments: [], initBytes: 0, targetDuration: 0 };
  const audio = hasAudio ? measureRate(stats.get(AUDIO_RENDITION) ?? empty) : null;
  const nominal = nominalVariants(plan.rungs, { audio: hasAudio, frameRate: outputFps(info) });
  return nominal.map((n) => {
    const video = measureRate(stats.get(n.name) ?? empty);
    if (video.peak <= 0) return n;
    return {
      ...n,
      bandwidth: video.peak + (audio?.peak ?? 0),
      averageBandwidth: video.average + (audio?.average ?? 0),
    };
  });
}
