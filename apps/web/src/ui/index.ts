/** The design system: import everything from "../ui" (see README.md here for what to use when). */
export { Avatar, avatarColour, initials } from "./Avatar";
export { Badge, StatusChip, type Tone } from "./Badge";
export {
  Button,
  ButtonLink,
  type ButtonProps,
  type ButtonSize,
  type ButtonVariant,
  buttonClass,
  IconButton,
} from "./Button";
export { ConfirmDialog, Dialog, DialogClose, type DialogProps } from "./Dialog";
export { type FieldControlProps, FormField, Input, Select, TextArea } from "./Field";
export {
  Menu,
  MenuItem,
  MenuLabel,
  MenuLinkItem,
  MenuRadioGroup,
  MenuRadioItem,
  MenuSeparator,
} from "./Menu";
export { Progress } from "./Progress";
export { Skeleton, SkeletonCard, SkeletonGrid, SkeletonText } from "./Skeleton";
export { PageLoading, Spinner } from "./Spinner";
export { EmptyState, ErrorState } from "./States";
export { NavTabs, Tab, TabList, TabPanel, Tabs } from "./Tabs";
export { ThemeSwitch } from "./ThemeSwitch";
export { Toaster } from "./Toaster";
export { Tooltip } from "./Tooltip";
export { dismissToast, type ToastOptions, toast, useToast } from "./toastStore";
