// Pure tests: the storyboard plan, the sprite command and the WebVTT index.
import { describe, expect, it } from "vitest";
import { planStoryboard, spriteArgs, spriteGrid, storyboardTileFilter, storyboardVtt } from "./storyboard";

describe("storyboard", () => {
  it("plans at most 300 tiles, one every ≥ 2 s, letterboxed to 160×90", () => {
    expect(planStoryboard(10)).toEqual({ interval: 2, count: 5, tileWidth: 160, tileHeight: 90 });
    expect(planStoryboard(600)).toMatchObject({ interval: 2, count: 300 });
    expect(planStoryboard(4 * 3600)).toMatchObject({ interval: 48, count: 300 });
    expect(planStoryboard(0.5)).toMatchObject({ count: 1 });
    expect(storyboardTileFilter(planStoryboard(25))).toBe(
      "select='gte(t\\,selected_n*2)',scale=160:90:force_original_aspect_ratio=decrease,pad=160:90:(ow-iw)/2:(oh-ih)/2,setsar=1",
    );
  });

  it("lays the tiles out 10 wide and joins them with one tile filter", () => {
    expect(spriteGrid(5)).toEqual({ count: 5, columns: 5, rows: 1 });
    expect(spriteGrid(13)).toEqual({ count: 13, columns: 10, rows: 2 });
    expect(spriteGrid(300)).toEqual({ count: 300, columns: 10, rows: 30 });
    const args = spriteArgs("/t/tile_%05d.jpg", spriteGrid(13), "/o/sprite.jpg");
    expect(args.slice(0, 3)).toEqual(["-nostdin", "-hide_banner", "-y"]);
    expect(args).toContain("tile=10x2");
    // The ten arguments before -i, as flag → value: our tiles only, through one demuxer and file:.
    const input = args.indexOf("-i");
    const inputOptions = args.slice(input - 10, input);
    const pairs = inputOptions.flatMap((a, i) => (i % 2 === 0 ? [[a, inputOptions[i + 1]]] : []));
    expect(Object.fromEntries(pairs)).toEqual({
      "-f": "image2",
      "-format_whitelist": "image2",
      "-protocol_whitelist": "file",
      "-framerate": "1",
      "-start_number": "1",
    });
    expect(pairs.map(([flag]) => flag)).toEqual([
      "-f",
      "-format_whitelist",
      "-protocol_whitelist",
      "-framerate",
      "-start_number",
    ]);
    expect(args.at(-1)).toBe("/o/sprite.jpg");
  });

  it("indexes the sprite with #xywh cues, none past the end", () => {
    const plan = planStoryboard(25);
    const vtt = storyboardVtt(plan, spriteGrid(13), 25);
    expect(vtt.startsWith("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nsprite.jpg#xywh=0,0,160,90\n")).toBe(
      true,
    );
    expect(vtt).toContain("00:00:20.000 --> 00:00:22.000\nsprite.jpg#xywh=0,90,160,90\n");
    expect(vtt).toContain("00:00:24.000 --> 00:00:25.000\nsprite.jpg#xywh=320,90,160,90\n");
    expect(vtt.match(/-->/g)).toHaveLength(13);
    // ffmpeg wrote one tile more than needed: no cue starts at or after the end.
    expect(storyboardVtt(plan, spriteGrid(14), 25).match(/-->/g)).toHaveLength(13);
  });
});
