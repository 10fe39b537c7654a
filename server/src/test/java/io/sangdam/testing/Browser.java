package io.sangdam.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven through its ChromeDriver. Where the two are not installed
 * ({@code scripts/install-browser} installs them when it may), the calling test is skipped and
 * says why. Screenshots go to {@code target/screenshots}.
 */
public final class Browser implements AutoCloseable {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /**
   * How long a page may take to reach what a test waits for: a bound for a page that never gets there, not a speed.
   * In CI a page's step (a reconnect, a resume, a render) shares two cores with a second fork of tests, MariaDB and
   * NATS, and 10 s was too short once (DeliveryGapBrowserIT, the widget's reconnect after a lost ack).
   */
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** How often a wait looks again: Selenium's default, 500 ms, added up to seconds per test over dozens of waits. */
  private static final Duration POLL = Duration.ofMillis(25);

  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** A desktop-sized browser (1280 x 800) with an empty profile; skips the test when Chromium is not installed. */
  public static Browser open() {
    return open(1280, 800);
  }

  /** A phone-sized browser (390 x 760), as a customer on a phone sees the widget. */
  public static Browser phone() {
    return open(390, 760);
  }

  /**
   * A page exactly {@code width} x {@code height} (a screenshot of that size): a window's size leaves out its
   * frame, and headless Chromium makes no window narrower than 500, so the page's size is set itself.
   */
  public static Browser exact(int width, int height) {
    Browser browser = open(width, height);
    browser.driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    return browser;
  }

  /** A browser of the given size: a wallboard on a 1920 x 1080 TV. */
  public static Browser open(int width, int height) {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "browser tests skipped: /usr/bin/chromium and /usr/bin/chromedriver are missing (scripts/install-browser)");
    try {
      Path profile = Files.createTempDirectory("sangdam-chromium");
      ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
      // Without the background-networking flags Chromium keeps calling Google's hosts, which this
      // network refuses; the rest make it start quickly and quietly in a container.
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
          "--disable-sync", "--window-size=" + width + "," + height,
          // The screen as large as the window: a page gone full screen (the wallboard's TV mode) keeps its size.
          "--screen-info={" + width + "x" + height + "}", "--lang=ko-KR", "--user-data-dir=" + profile);
      // In Korea's time zone, as the centers' staff are: the consoles' default dates are the browser's today,
      // which on a UTC machine is the tenant's yesterday from 15:00 UTC to midnight.
      ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
          .withEnvironment(Map.of("TZ", "Asia/Seoul")).usingAnyFreePort().build();
      return new Browser(new ChromeDriver(service, options), profile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A wait that, when it times out, says what the page showed then: a failure in CI is read from its log alone. */
  private WebDriverWait waiting() {
    WebDriverWait wait = new WebDriverWait(driver, WAIT, POLL);
    wait.withMessage(this::shown);
    return wait;
  }

  /** The page's address and visible text, cut to a length a log can hold. */
  private String shown() {
    try {
      Object text = driver.executeScript("return document.body ? document.body.innerText : ''");
      String page = String.valueOf(text).replaceAll("\\s*\n\\s*", " | ");
      return "the page " + driver.getCurrentUrl() + " showed: "
          + (page.length() > 3000 ? page.substring(0, 3000) + "..." : page);
    } catch (RuntimeException e) {
      return "the page could not be read: " + e.getMessage();
    }
  }

  public Browser go(String url) {
    driver.get(url);
    return this;
  }

  /** The element once it is visible. */
  public WebElement visible(String css) {
    return waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  /**
   * Clicks the element once it is there and visible, finding it again if the page re-rendered it meanwhile (the live
   * board replaces its cards on every push).
   */
  public void click(String css) {
    waiting().ignoring(StaleElementReferenceException.class).ignoring(ElementNotInteractableException.class).until(d -> {
      d.findElement(By.cssSelector(css)).click();
      return true;
    });
  }

  /** Waits until the element's text contains {@code text}. */
  public WebElement showing(String css, String text) {
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css),
        text));
    return driver.findElement(By.cssSelector(css));
  }

  /** Opens a console at {@code url} and signs in with its form (tenant left empty when null: HQ). */
  public void logIn(String url, String tenant, String username, String password) {
    go(url);
    if (tenant != null) {
      visible("#tenant").sendKeys(tenant);
    }
    visible("#username").sendKeys(username);
    visible("#password").sendKeys(password, org.openqa.selenium.Keys.ENTER);
  }

  /** Chooses the option with {@code value} of a select element. */
  public void choose(String css, String value) {
    new Select(visible(css)).selectByValue(value);
  }

  public java.util.List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Waits until {@code script} returns true: for a state the page reaches by itself. */
  public void until(String script) {
    waiting().until(d -> Boolean.TRUE.equals(driver.executeScript(script)));
  }

  /** Types {@code keys} to whatever has the focus: for the page's own keyboard shortcuts. */
  public void keys(CharSequence... keys) {
    new org.openqa.selenium.interactions.Actions(driver).sendKeys(keys).perform();
  }

  public Object script(String script, Object... args) {
    return driver.executeScript(script, args);
  }

  public void reload() {
    driver.navigate().refresh();
  }

  /** Saves what the page looks like now as {@code target/screenshots/<name>.png}. */
  public Path screenshot(String name) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "screenshots"));
      Path file = dir.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a profile left in the temp directory harms nothing
    }
  }
}
