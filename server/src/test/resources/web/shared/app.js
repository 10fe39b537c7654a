export const hello = "안녕";
