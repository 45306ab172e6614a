package dev.ecsemu.core.state;

import static dev.ecsemu.core.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageTest {
    private static final Function<String, String> KEY = s -> s;

    private static List<String> items(int count) {
        return IntStream.range(0, count).mapToObj(i -> String.format("item-%03d", i)).toList();
    }

    /** Follows nextToken to the end, asserting every page but the last is full. */
    private static List<List<String>> pages(List<String> sorted, Comparator<String> order, Integer maxResults) {
        List<List<String>> pages = new ArrayList<>();
        String token = null;
        do {
            Page<String> page = Page.of(sorted, KEY, order, maxResults, token, 100, 100);
            pages.add(page.items());
            token = page.nextToken();
            assertThat(pages).as("paging must end").hasSizeLessThan(1000);
        } while (token != null);
        return pages;
    }

    @Test
    void pagesThroughEverythingInOrder() {
        List<String> all = items(25);
        List<List<String>> pages = pages(all, Comparator.naturalOrder(), 10);

        assertThat(pages).extracting(List::size).containsExactly(10, 10, 5);
        assertThat(pages.stream().flatMap(List::stream).toList()).isEqualTo(all);
    }

    @Test
    void aFullLastPageHasNoNextToken() {
        assertThat(pages(items(20), Comparator.naturalOrder(), 10)).extracting(List::size).containsExactly(10, 10);

        Page<String> exact = Page.of(items(10), KEY, 10, null, 100, 100);
        assertThat(exact.items()).hasSize(10);
        assertThat(exact.nextToken()).isNull();
    }

    @Test
    void oneMoreItemThanThePageGivesAToken() {
        Page<String> first = Page.of(items(11), KEY, 10, null, 100, 100);
        assertThat(first.items()).hasSize(10).endsWith("item-009");
        assertThat(first.nextToken()).isNotNull();

        Page<String> second = Page.of(items(11), KEY, 10, first.nextToken(), 100, 100);
        assertThat(second.items()).containsExactly("item-010");
        assertThat(second.nextToken()).isNull();
    }

    @Test
    void emptyListing() {
        Page<String> page = Page.of(List.of(), KEY, null, null, 100, 100);
        assertThat(page.items()).isEmpty();
        assertThat(page.nextToken()).isNull();
    }

    @Test
    void defaultSizeAppliesWithoutMaxResults() {
        Page<String> page = Page.of(items(30), KEY, null, null, 7, 100);
        assertThat(page.items()).hasSize(7);
        assertThat(page.nextToken()).isNotNull();
        assertThat(Page.of(items(300), KEY, null, null, 100, 100).items()).hasSize(100);
    }

    @Test
    void emptyTokenMeansTheFirstPage() {
        assertThat(Page.of(items(5), KEY, 2, "", 100, 100).items()).containsExactly("item-000", "item-001");
    }

    @Test
    void descendingOrderViaComparator() {
        List<String> descending = new ArrayList<>(items(23));
        descending.sort(Comparator.reverseOrder());
        List<List<String>> pages = pages(descending, Comparator.reverseOrder(), 5);

        assertThat(pages).extracting(List::size).containsExactly(5, 5, 5, 5, 3);
        assertThat(pages.get(0)).startsWith("item-022");
        assertThat(pages.stream().flatMap(List::stream).toList()).isEqualTo(descending);
    }

    @Test
    void tokensAreOpaque() {
        String token = Page.of(items(5), KEY, 2, null, 100, 100).nextToken();
        assertThat(token).isNotEqualTo("item-001").doesNotContain("item");
    }

    @Test
    void pageItemsCannotBeChanged() {
        List<String> page = Page.of(items(5), KEY, 2, null, 100, 100).items();
        assertThatThrownBy(() -> page.add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"!!!", "not a token", "abc$", "a"})
    void invalidTokenRefused(String token) {
        assertRefused(() -> Page.of(items(5), KEY, 2, token, 100, 100), "InvalidParameterException",
                "Invalid nextToken: pass the nextToken of the previous response unchanged.");
    }

    @Test
    void maxResultsBounds() {
        assertThat(Page.of(items(150), KEY, 1, null, 100, 100).items()).hasSize(1);
        assertThat(Page.of(items(150), KEY, 100, null, 100, 100).items()).hasSize(100);
        assertRefused(() -> Page.of(items(5), KEY, 0, null, 100, 100), "InvalidParameterException",
                "maxResults must be between 1 and 100 (was 0).");
        assertRefused(() -> Page.of(items(5), KEY, 101, null, 100, 100), "InvalidParameterException",
                "maxResults must be between 1 and 100 (was 101).");
        assertRefused(() -> Page.of(items(5), KEY, -1, null, 10, 10), "InvalidParameterException",
                "maxResults must be between 1 and 10 (was -1).");
    }

    @Test
    void itemsAddedBetweenPages() {
        List<String> listing = new ArrayList<>(List.of("b", "d", "f", "h", "j"));
        Page<String> first = Page.of(listing, KEY, 2, null, 100, 100);
        assertThat(first.items()).containsExactly("b", "d");

        listing.addAll(List.of("a", "c", "e", "k"));
        listing.sort(Comparator.naturalOrder());
        Page<String> second = Page.of(listing, KEY, 2, first.nextToken(), 100, 100);
        assertThat(second.items()).as("items before the token are not repeated or inserted").containsExactly("e", "f");

        Page<String> third = Page.of(listing, KEY, 10, second.nextToken(), 100, 100);
        assertThat(third.items()).containsExactly("h", "j", "k");
        assertThat(third.nextToken()).isNull();
    }

    @Test
    void itemsRemovedBetweenPages() {
        List<String> listing = new ArrayList<>(List.of("a", "b", "c", "d", "e"));
        Page<String> first = Page.of(listing, KEY, 2, null, 100, 100);
        listing.remove("b"); // the item the token points after
        listing.remove("c");
        Page<String> second = Page.of(listing, KEY, 2, first.nextToken(), 100, 100);
        assertThat(second.items()).containsExactly("d", "e");
        assertThat(second.nextToken()).isNull();
    }

    @Test
    void aTokenPastTheEndGivesAnEmptyPage() {
        List<String> listing = new ArrayList<>(List.of("a", "b", "c"));
        String token = Page.of(listing, KEY, 2, null, 100, 100).nextToken();
        listing.remove("c");
        Page<String> page = Page.of(listing, KEY, 2, token, 100, 100);
        assertThat(page.items()).isEmpty();
        assertThat(page.nextToken()).isNull();
    }
}
