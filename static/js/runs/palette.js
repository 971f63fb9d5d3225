// One colour per compared run, the same in the curves, the boundary captions and the diff's header.
export const RUN_COLORS = ['#0877bd', '#f59322', '#2e7d32', '#c62828', '#6a1b9a', '#00838f'];
export const MAX_COMPARED = RUN_COLORS.length;
